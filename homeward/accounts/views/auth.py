"""Sign-in pages: password, second factor, enrolment, sudo, language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import authentication, two_factor
from homeward.accounts.forms import EnrolForm, LanguageForm, LoginForm, SudoForm, TokenForm
from homeward.accounts.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY
from homeward.accounts.models import User
from homeward.accounts.services import user_set_language
from homeward.accounts.sudo import sudo_grant, sudo_required


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = authentication.sign_in(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if result.user is not None:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if not result.user.language and chosen in dict(settings.LANGUAGES):
                # The language picked on the sign-in page becomes the account's.
                user_set_language(user=result.user, language=chosen)
            next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
            response = HttpResponseRedirect(next_url)
            if result.user.language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME, result.user.language,
                    samesite="Lax",
                    secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
                )
            return response
        if result.locked_until is not None:
            form.add_error(
                None,
                _("Too many failed attempts. Sign-in is locked until %(time)s (UTC).")
                % {"time": formats.time_format(result.locked_until, "H:i")},
            )
        else:
            form.add_error(None, _("The user name or password is not correct."))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:dashboard")
    if not two_factor.has_two_factor(user):
        return redirect("accounts:2fa-setup")
    next_url = _safe_next(request, reverse("accounts:dashboard"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_second_factor(
            request=request, user=user, token=form.cleaned_data["token"]
        ):
            return HttpResponseRedirect(next_url)
        form.add_error("token", _("This code is not valid. Wait for a new code and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app. Shows the QR code and the secret, then the
    recovery codes once."""
    user = _user(request)
    if two_factor.has_two_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing a device needs the current second factor first.
        return redirect("accounts:otp-verify")
    device = two_factor.totp_device_pending(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_enrol_confirm(
            user=user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            two_factor.mark_session_verified(request=request, device=device)
            return _show_recovery_codes_once(request, codes)
        form.add_error(
            "token", _("This code is not valid. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.totp_qr_svg(device),
            "secret": two_factor.totp_secret_base32(device),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@sudo_required
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """Issue new recovery codes (the old ones stop working); needs the password."""
    if request.method == "POST":
        return _show_recovery_codes_once(
            request, two_factor.recovery_codes_issue(user=_user(request))
        )
    return render(request, "accounts/recovery_codes_confirm.html")


NEW_RECOVERY_CODES_SESSION_KEY = "homeward_new_recovery_codes"


def _show_recovery_codes_once(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Post/redirect/get: a reload of the result page must not resubmit."""
    request.session[NEW_RECOVERY_CODES_SESSION_KEY] = codes
    return redirect("accounts:2fa-recovery-codes-new")


@never_cache
@login_required
@require_GET
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """The codes just issued, shown once; afterwards they are gone from the session."""
    codes = request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sudo_view(request: HttpRequest) -> HttpResponse:
    form = SudoForm(request.POST or None)
    next_url = _safe_next(request, reverse("accounts:dashboard"))
    if request.method == "POST" and form.is_valid():
        if authentication.confirm_password(
            request=request, user=_user(request), password=form.cleaned_data["password"]
        ):
            sudo_grant(request)
            return HttpResponseRedirect(next_url)
        form.add_error("password", _("The password is not correct."))
    return render(request, "accounts/sudo.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    authentication.sign_out(request=request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account when signed in."""
    form = LanguageForm(request.POST)
    next_url = _safe_next(request, reverse("accounts:dashboard"))
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(user=_user(request), language=language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
    )
    return response


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's organisations."""
    wanted = request.POST.get("membership", "")
    for membership in getattr(request, "memberships", []):
        if str(membership.pk) == wanted:
            request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
            break
    return redirect("accounts:dashboard")
