from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.queue, name="queue"),
    path("complaints/new/", views.log, name="log"),
    path("complaints/residents/", views.residents, name="residents"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path("complaints/<str:reference>/respond/", views.respond, name="respond"),
    path("complaints/<str:reference>/letters/<str:kind>/", views.letter, name="letter"),
    path("complaints/<str:reference>/safeguards/", views.safeguards, name="safeguards"),
    path("complaints/<str:reference>/safeguards/bar-officer/", views.bar_officer, name="bar-officer"),
    path("complaints/<str:reference>/<str:name>/", views.action, name="action"),
    path("service-requests/", views.service_requests, name="service-requests"),
    path("service-requests/new/", views.new_service_request, name="new-service-request"),
    path("service-requests/<str:reference>/", views.service_request, name="service-request"),
]
