"""Signing in and out.

A password sign-in has two steps, and the session is signed in only after the second: the password page
remembers who passed it (for ten minutes), then the second-factor page asks for a code from the authenticator
app, or on a first sign-in sets one up. Nothing can be opened in between, because until the second step the
visitor is not signed in at all; so no page, API call or admin view needs a check of its own."""

import base64
import io
import logging
import time

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import oidc, selectors, services
from accounts.auth_backends import is_break_glass
from accounts.forms import SecondFactorForm
from accounts.models import AccountEventKind
from casework.auth_backends import client_ip, lockout_response

logger = logging.getLogger(__name__)

PENDING_SIGN_IN = "accounts_pending_sign_in"
FRESH_RECOVERY_CODES = "accounts_fresh_recovery_codes"
PENDING_SECONDS = 10 * 60
PASSWORD_BACKEND = "accounts.auth_backends.LocalPasswordBackend"  # noqa: S105 - a class path, not a password


class SignInView(LoginView):
    """The password step. With single sign-on configured the page leads with the council account button."""

    template_name = "registration/login.html"

    def form_valid(self, form):
        user = form.get_user()
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": user.backend,
            "hash": user.get_session_auth_hash(),
            "started": time.time(),
            "next": self.get_success_url(),
        }
        if selectors.has_two_factor(user):
            return redirect("accounts:two-factor")
        return redirect("accounts:two-factor-setup")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=oidc.sso_enabled(),
            sso_label=settings.OIDC_PROVIDER_LABEL,
            staff_passwords=settings.STAFF_PASSWORD_SIGN_IN,
        )
        return context


def _pending(request):
    """The user who passed the password step in this browser in the last ten minutes, or None."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending:
        return None
    if time.time() - pending["started"] > PENDING_SECONDS:
        del request.session[PENDING_SIGN_IN]
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    # A password changed since (by the person, or an administrator who suspects it leaked) ends the attempt.
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["hash"]):
        del request.session[PENDING_SIGN_IN]
        return None
    return user


def _start_again(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    messages.info(request, "Sign in with your username and password first.")
    return redirect("login")


def _locked_out(request, user):
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def _wrong_code(request, user, form, devices):
    """A wrong code counts as a failed sign-in: the same lockout as wrong passwords applies (django-axes turns the
    answer into the lockout page once the limit is reached)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    for device in devices:
        device.refresh_from_db()
    if all(device.verify_is_allowed()[0] for device in devices):
        form.add_error("code", "That code is not right. Enter the code your app shows now.")
    else:
        form.add_error("code", "That code is not right. Wait a few seconds, then enter the code your app shows now.")


def _complete(request, user, device, *, fresh_codes=None):
    pending = request.session.pop(PENDING_SIGN_IN)
    auth_login(request, user, backend=pending["backend"])
    django_otp.login(request, device)
    if is_break_glass(user):
        logger.warning("Break-glass sign-in by %s from %s", user.get_username(), client_ip(request))
        services.record_event(
            AccountEventKind.BREAK_GLASS_SIGN_IN,
            user,
            request=request,
            detail="Signed in with a password while staff passwords are off."
            if not settings.STAFF_PASSWORD_SIGN_IN
            else "Signed in with a password.",
        )
    if fresh_codes:
        request.session[FRESH_RECOVERY_CODES] = {"codes": fresh_codes, "next": pending["next"]}
        return redirect("accounts:recovery-codes")
    return redirect(pending["next"])


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def two_factor(request):
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _pending(request)
    if user is None:
        return _start_again(request)
    if not selectors.has_two_factor(user):
        return redirect("accounts:two-factor-setup")
    if _locked_out(request, user):
        return lockout_response(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = services.verify_second_factor(user, form.cleaned_data["code"], request=request)
        if verified is not None:
            if verified.recovery_code:
                messages.warning(
                    request,
                    f"You used a recovery code; {verified.recovery_codes_left} are left. Each works once: "
                    "make new ones from 'Recovery codes' at the foot of any page if you are running out.",
                )
            return _complete(request, user, verified.device)
        _wrong_code(request, user, form, list(django_otp.devices_for_user(user)))
    return render(request, "accounts/two_factor.html", {"form": form, "pending_user": user})


def _qr_code(url):
    """The otpauth:// link as an SVG QR code in a data: URL (the content security policy allows data: images)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request):
    """First sign-in with a password (or the first after an administrator's reset): set up the authenticator app."""
    user = _pending(request)
    if user is None:
        return _start_again(request)
    if selectors.has_two_factor(user):
        return redirect("accounts:two-factor")
    if _locked_out(request, user):
        return lockout_response(request)
    device = services.start_two_factor_set_up(user)
    form = SecondFactorForm(request.POST or None, allow_recovery_code=False)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_two_factor(user, device, form.cleaned_data["code"], request=request)
        if codes is not None:
            device.refresh_from_db()
            return _complete(request, user, device, fresh_codes=codes)
        _wrong_code(request, user, form, [device])
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_code": _qr_code(device.config_url), "secret": _grouped(secret), "pending_user": user},
    )


@never_cache
@sensitive_post_parameters("code")
def recovery_codes(request):
    """New recovery codes, shown once; and for a signed-in password account, how many are left and a way to make
    new ones (which needs a current code from the app, so a borrowed session cannot take them)."""
    fresh = request.session.pop(FRESH_RECOVERY_CODES, None)
    if fresh:
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": [f"{code[:4]}-{code[4:]}" for code in fresh["codes"]], "next": fresh["next"]},
        )
    has_authenticator = selectors.has_two_factor(request.user)
    form = SecondFactorForm(request.POST or None, allow_recovery_code=False)
    if request.method == "POST" and has_authenticator and form.is_valid():
        if services.verify_second_factor(request.user, form.cleaned_data["code"], allow_recovery_code=False):
            codes = services.replace_recovery_codes(request.user, request=request)
            request.session[FRESH_RECOVERY_CODES] = {"codes": codes, "next": reverse("home")}
            return redirect("accounts:recovery-codes")
        form.add_error("code", "That code is not right. Enter the code your app shows now.")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "form": form,
            "has_authenticator": has_authenticator,
            "left": selectors.recovery_codes_left(request.user) if has_authenticator else 0,
            "single_sign_on": request.session.get(BACKEND_SESSION_KEY) == oidc.BACKEND_PATH,
        },
    )


@login_not_required
@require_POST
def sign_out(request):
    """Sign out here and, after single sign-on, at the provider too (its end-session page comes back to sign-in)."""
    end_session = oidc.end_session_url(request)
    auth_logout(request)
    return redirect(end_session or settings.LOGOUT_REDIRECT_URL)
