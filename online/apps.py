from django.apps import AppConfig


class OnlineConfig(AppConfig):
    name = "online"
    verbose_name = "Online complaint form"

    def ready(self):
        from casework import registry

        registry.demo(load_demo, order=35)
        registry.schedule(
            "Online form receipts", "online.tasks.send_pending_acknowledgements", "20", "*", "*", "*",
            "Sends any receipt of a resident's online form not sent yet (for example after a worker died).",
        )  # fmt: skip
        registry.schedule(
            "Online form tidy", "online.tasks.remove_abandoned_uploads", "30", "3", "*", "*",
            "Nightly: deletes files added to residents' online forms that were never sent.",
        )  # fmt: skip


def load_demo(stdout):
    from online.demo import load_demo

    load_demo(stdout)
