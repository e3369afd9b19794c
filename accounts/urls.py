from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils.module_loading import import_string

from accounts import views

# Sign-in, sign-out and the password pages, at the addresses django.contrib.auth gives them; the sign-in and
# sign-out are the product's own (two steps; single sign-on), the password pages Django's.
auth_urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

app_name = "accounts"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
]


def _oidc_view(setting):
    from django.conf import settings

    return login_not_required(import_string(getattr(settings, setting)).as_view())


# Not namespaced: mozilla-django-oidc reverses its callback by this name.
oidc_urlpatterns = [
    path("authenticate/", _oidc_view("OIDC_AUTHENTICATE_CLASS"), name="oidc_authentication_init"),
    path("callback/", _oidc_view("OIDC_CALLBACK_CLASS"), name="oidc_authentication_callback"),
]
