"""Shared set-up for the second-factor view tests."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core import signing
from django.test import Client

from hc.accounts.login_flow import PENDING_KEY

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def enter_sudo_mode(client: Client) -> None:
    session = client.session
    session["sudo"] = signing.TimestampSigner(salt="sudo").sign("active")
    session.save()


def park_for_second_factor(client: Client, user: User, started: float | None = None) -> None:
    """What a successful first factor leaves in the session for a 2FA user."""
    session = client.session
    session[PENDING_KEY] = [user.id, user.email, int(started or time.time())]
    session.save()


def flashed(response: TestResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def as_field(response: dict[str, Any]) -> str:
    return json.dumps(response)
