"""State changes and emails of sign-up, login links and account changes (web spec §3).

Emails go out after the transaction that prepared them has committed: each
sender here is called by the view once the service function has returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse

from hc.accounts import login_tokens
from hc.accounts.mail import send_templated
from hc.accounts.models import Profile
from hc.accounts.services import do_create_user
from hc.accounts.starter import do_create_starter_set

CHANGE_EMAIL_MAX_AGE = 15 * 60
_CHANGE_EMAIL_SALT = "change-email"


@transaction.atomic
def do_signup(email: str, tz: str = "UTC") -> tuple[User, bool]:
    """The account for `email`, created with the starter set if it is new.

    Returns (user, created). An existing account is returned as it is: the
    caller sends it a login link instead of an error.
    """
    existing = User.objects.filter(email__iexact=email).order_by("id").first()
    if existing is not None:
        return existing, False
    user = do_create_user(email)
    Profile.objects.filter(user=user).update(tz=tz)
    do_create_starter_set(user)
    return user, True


@transaction.atomic
def do_create_superuser(email: str, password: str) -> User:
    """An administrator with a password and the starter set (createsuperuser)."""
    user = do_create_user(email, password)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    do_create_starter_set(user)
    return user


@transaction.atomic
def do_set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    # A pending login link must not outlive a password change.
    login_tokens.clear(user)


@transaction.atomic
def do_change_email(user: User, email: str) -> bool:
    """Give the user a new address; False if someone registered it meanwhile."""
    if User.objects.filter(email__iexact=email).exclude(id=user.id).exists():
        return False
    user.email = email
    user.save(update_fields=["email"])
    return True


@transaction.atomic
def do_close_account(user: User) -> None:
    # Owned projects, their checks and integrations, memberships, the profile
    # and credentials all cascade. There is no billing to cancel.
    user.delete()


def send_login_link(user: User, next_path: str | None = None) -> None:
    """Email a fresh magic link; `next_path` must already be whitelisted.

    Raises hc.lib.emails.EmailError when the message could not be sent.
    """
    context = {"login_url": login_tokens.login_url(user, next_path), "lifetime": "one hour"}
    send_templated(user.email, "login", f"Log in to {settings.SITE_NAME}", context)


@dataclass(frozen=True)
class EmailChange:
    username: str
    token: str
    email: str


def send_change_email_link(user: User, new_email: str) -> None:
    """Email a login link to the new address that also confirms the change.

    Raises hc.lib.emails.EmailError when the message could not be sent.
    """
    payload = {"u": user.username, "t": login_tokens.issue(user), "e": new_email}
    signed = signing.TimestampSigner(salt=_CHANGE_EMAIL_SALT).sign_object(payload)
    url = settings.SITE_ROOT + reverse("hc-change-email-verify", args=[signed])
    context = {"login_url": url, "lifetime": "15 minutes"}
    send_templated(new_email, "login", f"Log in to {settings.SITE_NAME}", context)


def read_change_email_link(signed: str) -> EmailChange:
    """The request a change-email link carries; raises signing.BadSignature."""
    signer = signing.TimestampSigner(salt=_CHANGE_EMAIL_SALT)
    payload = signer.unsign_object(signed, max_age=CHANGE_EMAIL_MAX_AGE)
    if not isinstance(payload, dict):
        raise signing.BadSignature("unexpected payload")
    values = [payload.get("u"), payload.get("t"), payload.get("e")]
    if not all(isinstance(value, str) and value for value in values):
        raise signing.BadSignature("unexpected payload")
    username, token, email = (str(value) for value in values)
    return EmailChange(username=username, token=token, email=email)
