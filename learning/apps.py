from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning from complaints"

    def ready(self):
        from casework import registry
        from learning import personal_data

        registry.demo(load_demo, order=50)
        registry.job("learning-cycle", learning_cycle)
        registry.schedule(
            "Learning cycle", "learning.tasks.monthly_learning_cycle", "45", "6", "1-5", "*",
            "Runs every weekday; on the first working day of a month it opens action plans for last month's "
            "upheld complaints.",
        )  # fmt: skip
        registry.schedule(
            "Learning and action chase", "learning.tasks.chase_overdue_plans", "15", "7", "1-5", "*",
            "Chases overdue learning action plans and promised actions.",
        )  # fmt: skip
        personal_data.register()


def load_demo(stdout):
    from learning.demo import load_demo

    load_demo(stdout)


def learning_cycle(day, force):
    from learning.services import run_monthly_cycle

    return run_monthly_cycle(day, force=force)
