from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("learning/", views.register, name="register"),
    path("learning/print/", views.print_plans, name="print"),
    path("learning/plans/new/", views.new_plan, name="new-plan"),
    path("learning/plans/<str:reference>/", views.plan_detail, name="plan"),
    path("learning/plans/<str:reference>/print/", views.print_plan, name="print-plan"),
    path("learning/plans/<str:reference>/evidence/", views.add_evidence, name="add-evidence"),
    path("learning/plans/<str:reference>/<str:name>/", views.plan_action, name="plan-action"),
    path("learning/evidence/<int:pk>/", views.download_evidence, name="download-evidence"),
    path("learning/commitments/", views.commitments, name="commitments"),
    path("learning/commitments/carry-over/", views.carry_over, name="carry-over"),
    path("learning/commitments/<int:pk>/", views.commitment, name="commitment"),
    path("learning/repeat-upheld/", views.repeat_upheld, name="repeat-upheld"),
    path("learning/repeat-upheld/<str:reference>/", views.root_cause, name="root-cause"),
]
