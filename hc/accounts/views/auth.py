"""Sign-up, login, logout and the sensitive account changes (web spec §3.2 to §3.10)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.models import User
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hc.accounts import login_flow, login_tokens, ratelimits
from hc.accounts.forms_auth import (
    NO_EMAIL,
    RATE_LIMITED,
    ChangeEmailForm,
    CloseAccountForm,
    EmailLinkForm,
    PasswordLoginForm,
    SetPasswordForm,
    SignupForm,
)
from hc.accounts.models import Project
from hc.accounts.services_auth import (
    do_change_email,
    do_close_account,
    do_set_password,
    do_signup,
    read_change_email_link,
    send_change_email_link,
    send_login_link,
)
from hc.accounts.sudo import require_sudo_mode
from hc.api.models import Check
from hc.lib import emails

logger = logging.getLogger(__name__)

# Session flags read once by the next page that shows them.
BAD_LINK_KEY = "bad_link"
EMAIL_SENT_KEY = "change_email_sent"
SEND_FAILED = "We could not send the email just now. Please try again later."


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _with_auto_login_cookie(response: HttpResponse) -> HttpResponse:
    """Mark this browser as the one that asked for a link (check_token skips
    its interstitial here); short-lived, so a shared computer soon forgets."""
    response.set_cookie(
        "auto-login",
        "1",
        max_age=300,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _bad_link(request: HttpRequest) -> HttpResponse:
    request.session[BAD_LINK_KEY] = True
    return redirect("hc-login")


def _email_link(request: HttpRequest, form: EmailLinkForm, next_url: str | None) -> HttpResponse:
    """Send a login link if the account exists; answer the same either way."""
    email: str = form.cleaned_data["identity"]
    if not emails.is_configured():
        form.add_error("identity", NO_EMAIL)
    elif not ratelimits.allow_login_link(request, email):
        form.add_error("identity", RATE_LIMITED)
    if form.errors:
        return _login_page(request, link_form=form)

    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        try:
            send_login_link(user, login_flow.safe_next(next_url))
        except emails.EmailError:
            # An error here would tell who has an account: log it instead.
            logger.exception("Could not send a login link")
    return _with_auto_login_cookie(redirect("hc-login-link-sent"))


def _login_page(
    request: HttpRequest,
    link_form: EmailLinkForm | None = None,
    password_form: PasswordLoginForm | None = None,
) -> HttpResponse:
    context = {
        "link_form": EmailLinkForm() if link_form is None else link_form,
        "password_form": PasswordLoginForm(request) if password_form is None else password_form,
        "bad_link": request.session.pop(BAD_LINK_KEY, False),
        "account_closed": "account-closed" in request.GET,
    }
    return render(request, "accounts/login.html", context)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.GET.get("next")
    if request.user.is_authenticated:
        return login_flow.redirect_after_login(request, next_url)
    if request.method == "GET":
        return _login_page(request)

    if request.POST.get("action") == "login":
        password_form = PasswordLoginForm(request, request.POST)
        if password_form.is_valid() and password_form.user is not None:
            return login_flow.complete_first_factor(request, password_form.user, next_url)
        return _login_page(request, password_form=password_form)

    link_form = EmailLinkForm(request.POST)
    if not link_form.is_valid():
        return _login_page(request, link_form=link_form)
    return _email_link(request, link_form, next_url)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("hc-index")


def _signup_allowed(request: HttpRequest) -> bool:
    # Without email there is no way to deliver the login link (web §12 deviation).
    return (
        settings.REGISTRATION_OPEN and emails.is_configured() and not request.user.is_authenticated
    )


@require_GET
def signup_csrf(request: HttpRequest) -> HttpResponse:
    # Fetched when the signup button is pressed, so the login page stays cacheable.
    if not _signup_allowed(request):
        return HttpResponseForbidden()
    return HttpResponse(get_token(request), content_type="text/plain")


def _signup_result(request: HttpRequest, error: str | None, status: int = 200) -> HttpResponse:
    return render(request, "accounts/signup_result.html", {"error": error}, status=status)


@require_POST
def signup(request: HttpRequest) -> HttpResponse:
    if not _signup_allowed(request):
        return HttpResponseForbidden()
    form = SignupForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("identity") or ["Invalid input."]
        return _signup_result(request, str(errors[0]), status=400)
    email: str = form.cleaned_data["identity"]
    if not ratelimits.allow_login_link(request, email):
        return _signup_result(request, RATE_LIMITED, status=429)

    user, _created = do_signup(email, form.cleaned_data["tz"])
    # An existing address gets a login link too: no error, nothing revealed.
    if user.is_active:
        try:
            send_login_link(user)
        except emails.EmailError:
            logger.exception("Could not send a signup login link")
            return _signup_result(request, SEND_FAILED, status=503)
    return _with_auto_login_cookie(_signup_result(request, None))


@require_GET
def login_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/login_link_sent.html")


def _landing_interstitial(request: HttpRequest) -> HttpResponse | None:
    """The "Continue" page for a link opened without the auto-login cookie.

    Mail scanners and link previewers fetch links with GET; only a POST or a
    GET from the browser that asked for the link may use up the token.
    """
    if request.method == "GET" and "auto-login" not in request.COOKIES:
        return render(request, "accounts/check_token.html")
    return None


@require_http_methods(["GET", "POST"])
def check_token(request: HttpRequest, username: str, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        auth.logout(request)
    interstitial = _landing_interstitial(request)
    if interstitial is not None:
        return interstitial

    user = User.objects.filter(username=username, is_active=True).first()
    # Behind an authenticating proxy, links must not log anyone in (web §3.12).
    if settings.REMOTE_USER_HEADER or user is None or not login_tokens.consume(user, token):
        return _bad_link(request)
    return login_flow.complete_first_factor(request, user, request.GET.get("next"))


@require_http_methods(["GET", "POST"])
@require_sudo_mode
def set_password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SetPasswordForm(request.POST) if request.method == "POST" else SetPasswordForm()
    if request.method == "POST" and form.is_valid():
        do_set_password(user, form.cleaned_data["password"])
        # Other sessions end; this one stays logged in.
        auth.update_session_auth_hash(request, user)
        messages.success(request, "Your new password has been set.")
        return redirect("hc-profile")
    return render(request, "accounts/set_password.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_sudo_mode
def change_email(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    sent_to = request.session.pop(EMAIL_SENT_KEY, None)
    if request.method == "GET" and isinstance(sent_to, str):
        return render(request, "accounts/change_email.html", {"sent_to": sent_to})

    form = ChangeEmailForm(request.POST) if request.method == "POST" else ChangeEmailForm()
    if request.method == "POST" and form.is_valid():
        new_email: str = form.cleaned_data["email"]
        if not emails.is_configured():
            form.add_error(None, NO_EMAIL)
        else:
            try:
                send_change_email_link(user, new_email)
            except emails.EmailError:
                logger.exception("Could not send a change-email link")
                form.add_error(None, SEND_FAILED)
        if not form.errors:
            request.session[EMAIL_SENT_KEY] = new_email
            return _with_auto_login_cookie(redirect("hc-change-email"))

    context = {"form": form, "has_2fa": login_flow.has_second_factor(user)}
    return render(request, "accounts/change_email.html", context)


@require_http_methods(["GET", "POST"])
def change_email_verify(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        change = read_change_email_link(signed)
    except signing.BadSignature:
        return render(request, "bad_link.html", status=400)

    if request.user.is_authenticated:
        auth.logout(request)
    interstitial = _landing_interstitial(request)
    if interstitial is not None:
        return interstitial

    user = User.objects.filter(username=change.username, is_active=True).first()
    if settings.REMOTE_USER_HEADER or user is None or not login_tokens.consume(user, change.token):
        return _bad_link(request)
    if not do_change_email(user, change.email):
        # Someone registered the address after the link was sent.
        return _bad_link(request)
    return login_flow.complete_first_factor(request, user)


@require_http_methods(["GET", "POST"])
@require_sudo_mode
def close(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CloseAccountForm(user, request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        do_close_account(user)
        auth.logout(request)
        return redirect(reverse("hc-login") + "?account-closed=1")

    owned = Project.objects.filter(owner=user)
    context = {
        "form": form,
        "n_projects": owned.count(),
        "n_checks": Check.objects.filter(project__in=owned).count(),
    }
    return render(request, "accounts/close_account.html", context)
