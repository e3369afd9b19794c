from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.urls import auth_urlpatterns, oidc_urlpatterns
from casework import views as casework_views
from casework.health import readiness

api_v1 = [
    path("", include("casework.api.urls")),
    path("", include("sla.api.urls")),
    path("", include("complaints.api.urls")),
    path("", include("enquiries.api.urls")),
    path("", include("learning.api.urls")),
    path("", include("ombudsman.api.urls")),
    path("", include("reporting.api.urls")),
]

urlpatterns = [
    path("", casework_views.home, name="home"),
    path("healthz", casework_views.healthz, name="healthz"),
    path("readyz", readiness, name="readyz"),
    path(".well-known/security.txt", casework_views.security_txt, name="security-txt"),
    # Before the accounts' own: the same page, rate-limited.
    path("accounts/password_reset/", casework_views.password_reset, name="password_reset"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("accounts/oidc/", include(oidc_urlpatterns)),
    path("admin/", admin.site.urls),
    path("", include("casework.urls")),
    path("", include("sla.urls")),
    path("", include("complaints.urls")),
    path("", include("enquiries.urls")),
    path("", include("learning.urls")),
    path("", include("ombudsman.urls")),
    path("", include("reporting.urls")),
    path("portal/", include("enquiries.portal_urls")),
    path("imports/", include("imports.urls")),
    path("", include("online.urls")),
    path("", include("incoming.urls")),
    path("", include("correspondence.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]


handler404 = "casework.api.views.not_found"
