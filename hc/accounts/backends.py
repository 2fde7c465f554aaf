"""Log in by email address: usernames are random and never shown."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from hc.accounts.services_auth import do_signup


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.filter(email=username.strip().lower()).first()
        if user is None:
            # Spend the same time as a real check, so timing reveals nothing.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class RemoteUserHeaderBackend(ModelBackend):
    """Trust the email address an authenticating proxy puts in a header (web §3.12).

    Unknown addresses get an account with the starter set. Only
    RemoteUserHeaderMiddleware calls this, with the header's value.
    """

    def authenticate(  # type: ignore[override]  # the proxy's email replaces username/password
        self, request: HttpRequest | None, remote_user_email: str | None = None
    ) -> User | None:
        if not remote_user_email:
            return None
        user, _created = do_signup(remote_user_email.strip().lower())
        return user if self.user_can_authenticate(user) else None
