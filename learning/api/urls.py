from rest_framework.routers import DefaultRouter

from learning.api import views

router = DefaultRouter()
router.register("learning/plans", views.LearningPlanViewSet, basename="learning-plan")
router.register("learning/commitments", views.CommitmentViewSet, basename="learning-commitment")
router.register("learning/repeat-upheld", views.RepeatUpheldViewSet, basename="learning-repeat-upheld")

urlpatterns = router.urls
