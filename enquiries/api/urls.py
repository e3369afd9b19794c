from rest_framework.routers import DefaultRouter

from enquiries.api import views

router = DefaultRouter()
router.register("enquiries", views.EnquiryViewSet, basename="enquiry")
router.register("portal/enquiries", views.PortalEnquiryViewSet, basename="portal-enquiry")

urlpatterns = router.urls
