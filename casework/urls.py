from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("work/", views.my_work, name="my-work"),
    path("cases/<str:reference>/", views.case_detail, name="case-detail"),
    path("cases/<str:reference>/notes/", views.add_note, name="add-note"),
    path("cases/<str:reference>/attachments/", views.add_attachment, name="add-attachment"),
    path("cases/<str:reference>/links/", views.add_link, name="add-link"),
    path("cases/<str:reference>/links/<int:pk>/remove/", views.remove_link, name="remove-link"),
    path("attachments/<int:pk>/", views.download_attachment, name="download-attachment"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications-read"),
    path("access-log/", views.access_log, name="access-log"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("queues/<slug:key>/reassign/", views.bulk_reassign, name="bulk-reassign"),
    path("queues/<slug:key>/export.<str:fmt>", views.export_queue, name="export-queue"),
    path("queues/<slug:key>/views/", views.save_view, name="save-view"),
    path("saved-views/<int:pk>/delete/", views.delete_view, name="delete-view"),
    path("residents/subject-access/", views.subject_access_search, name="subject-access-search"),
    path("residents/<int:pk>/subject-access/", views.subject_access_export, name="subject-access"),
]
