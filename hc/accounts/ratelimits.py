"""The named rate limits of login, login-link and signup requests (web spec §3.13).

Each function spends one token and returns False when the caller must refuse.
Keys that would contain an email address are hashed with SECRET_KEY.
"""

from __future__ import annotations

from django.http import HttpRequest

from hc.lib import ratelimit

HOUR = 3600
DAY = 24 * HOUR


def client_ip(request: HttpRequest) -> str:
    """The first X-Forwarded-For entry, else the peer address; IPv4 without :port."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() or str(request.META.get("REMOTE_ADDR", ""))
    # "203.0.113.7:1234" carries a port; an IPv6 address has several colons.
    if ip.count(":") == 1:
        ip = ip.split(":")[0]
    return ip


def normalised_email(email: str) -> str:
    """One mailbox, however it is spelled: no dots, no +suffix, lower case."""
    mailbox, _, domain = email.lower().rpartition("@")
    mailbox = mailbox.split("+")[0].replace(".", "")
    return f"{mailbox}@{domain}"


def allow_login_link(request: HttpRequest, email: str) -> bool:
    """Login-link requests and signups: 20 an hour per IP, 10 an hour per mailbox.

    Both flows share the buckets: a signup with a known address sends a
    login link too.
    """
    ip_key = "login-ip-" + ratelimit.hashed(client_ip(request))
    if not ratelimit.authorize(ip_key, 20, HOUR):
        return False
    email_key = "login-email-" + ratelimit.hashed(normalised_email(email))
    return ratelimit.authorize(email_key, 10, HOUR)


def allow_password_login(email: str) -> bool:
    """Password attempts: 20 a day per address, counted before the check."""
    return ratelimit.authorize("password-" + ratelimit.hashed(email.lower()), 20, DAY)
