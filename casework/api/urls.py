from rest_framework.routers import DefaultRouter

from casework.api import views

router = DefaultRouter()
router.register("service-areas", views.ServiceAreaViewSet)
router.register("issue-natures", views.IssueNatureViewSet)
router.register("teams", views.TeamViewSet)
router.register("officers", views.OfficerViewSet, basename="officer")
router.register("my-work", views.MyWorkViewSet, basename="my-work")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
