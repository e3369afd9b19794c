from django.urls import path

from incoming import views

app_name = "incoming"

urlpatterns = [
    path("incoming/", views.queue, name="queue"),
    path("incoming/<int:pk>/", views.item, name="item"),
    path("incoming/<int:pk>/original/", views.original, name="original"),
    path("incoming/<int:pk>/files/<int:file_pk>/", views.attachment, name="attachment"),
    path("incoming/<int:pk>/complaint/", views.make_complaint, name="make-complaint"),
    path("incoming/<int:pk>/service-request/", views.make_service_request, name="make-service-request"),
    path("incoming/<int:pk>/enquiry/", views.make_enquiry, name="make-enquiry"),
    path("incoming/<int:pk>/file/", views.file_on_case, name="file-on-case"),
    path("incoming/<int:pk>/set-aside/", views.set_aside, name="set-aside"),
    path("incoming/<int:pk>/return/", views.return_to_queue, name="return"),
]
