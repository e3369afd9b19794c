from rest_framework.routers import DefaultRouter

from complaints.api import views

router = DefaultRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("service-requests", views.ServiceRequestViewSet, basename="service-request")

urlpatterns = router.urls
