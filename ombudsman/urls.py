from django.urls import path

from ombudsman import views

app_name = "ombudsman"

urlpatterns = [
    path("ombudsman/", views.case_list, name="list"),
    path("ombudsman/new/", views.new, name="new"),
    path("ombudsman/figures/", views.figures, name="figures"),
    path("ombudsman/non-compliance/", views.non_compliance_list, name="non-compliance"),
    path("ombudsman/non-compliance/new/", views.non_compliance_edit, name="non-compliance-new"),
    path("ombudsman/non-compliance/<int:pk>/", views.non_compliance_edit, name="non-compliance-edit"),
    path("ombudsman/letters-and-reports/", views.publication_list, name="publications"),
    path("ombudsman/letters-and-reports/new/", views.publication_edit, name="publication-new"),
    path("ombudsman/letters-and-reports/<int:pk>/", views.publication_edit, name="publication-edit"),
    path("ombudsman/letters-and-reports/<int:pk>/file/", views.publication_file, name="publication-file"),
    path("ombudsman/<str:reference>/", views.detail, name="detail"),
    path("ombudsman/<str:reference>/determination/", views.determination, name="determination"),
    path(
        "ombudsman/<str:reference>/information-requests/<int:pk>/<str:name>/",
        views.request_action,
        name="request-action",
    ),
    path(
        "ombudsman/<str:reference>/contributions/<int:pk>/received/",
        views.contribution_received,
        name="contribution-received",
    ),
    path("ombudsman/<str:reference>/orders/<int:pk>/<str:name>/", views.order_action, name="order-action"),
    path("ombudsman/<str:reference>/<str:name>/", views.action, name="action"),
]
