"""The admin site signs in through the product's own sign-in page.

Django's admin has a password form of its own, which would let an administrator in with a password alone. Here
its sign-in sends them to the product's (password and second factor, or single sign-on) and its sign-out to the
product's (which also ends the provider's session)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class CaseworkAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.CaseworkAdminSite"


class CaseworkAdminSite(admin.AdminSite):
    site_header = "Casework administration"
    site_title = "Casework administration"

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            # Signed in already: an administrator goes on; anyone else would gain nothing by signing in again.
            return redirect(next_url if self.has_permission(request) else "home")
        return redirect_to_login(next_url)

    # Reached before anyone has signed in: it sends them to the sign-in page.
    login.login_required = False

    def logout(self, request, extra_context=None):
        from accounts.views import sign_out

        return sign_out(request)
