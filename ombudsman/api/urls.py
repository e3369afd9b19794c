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
router.register(
    "ombudsman-non-compliance-findings", views.NonComplianceFindingViewSet, basename="ombudsman-non-compliance-finding"
)
router.register("ombudsman-publications", views.OmbudsmanPublicationViewSet, basename="ombudsman-publication")
router.register("ombudsman-finding-categories", views.FindingCategoryViewSet, basename="ombudsman-finding-category")

urlpatterns = [
    path("ombudsman-figures/", views.FiguresView.as_view(), name="ombudsman-figures"),
    *router.urls,
]
