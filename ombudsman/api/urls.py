from django.urls import path
from rest_framework.routers import DefaultRouter

from ombudsman.api import views

router = DefaultRouter()
router.register("ombudsman-cases", views.OmbudsmanCaseViewSet, basename="ombudsman-case")
router.register(
    "ombudsman-information-requests", views.InformationRequestViewSet, basename="ombudsman-information-request"
)
router.register("ombudsman-contributions", views.ServiceContributionViewSet, basename="ombudsman-contribution")
router.register("ombudsman-orders", views.OrderViewSet, basename="ombudsman-order")
router.register("ombudsman-finding-categories", views.FindingCategoryViewSet, basename="ombudsman-finding-category")

urlpatterns = [
    path("ombudsman-figures/", views.FiguresView.as_view(), name="ombudsman-figures"),
    *router.urls,
]
