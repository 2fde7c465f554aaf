"""Routes of the api app: pings, the Management API v1-v3 and badges.

Ping routes follow ping-api §2.1 to the letter; API routes follow
management-api §1 and §4 (exact trailing slashes, 301 when one is missing).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from hc.api.views import api_channels, api_checks, api_misc, badges, openapi, ping

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UNIQUE_KEY = r"[A-Za-z0-9]{40}"
NAME = r"[-a-zA-Z0-9_]+"
ACTION = r"start|fail|log|[0-9]+"
API = r"^api/v(?P<v>[123])/"


@csrf_exempt
def add_slash(request: HttpRequest, **kwargs: str) -> HttpResponsePermanentRedirect:
    """301 to the slashed URL, for any method (management-api §1)."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))


urlpatterns = [
    # Pinging API. A trailing slash is accepted on the UUID success URL only.
    re_path(rf"^ping/(?P<code>{UUID})/?$", ping.ping_by_code),
    re_path(rf"^ping/(?P<code>{UUID})/(?P<action>{ACTION})$", ping.ping_by_code),
    re_path(rf"^ping/(?P<ping_key>{NAME})/(?P<slug>{NAME})$", ping.ping_by_slug),
    re_path(
        rf"^ping/(?P<ping_key>{NAME})/(?P<slug>{NAME})/(?P<action>{ACTION})$", ping.ping_by_slug
    ),
    # Management API.
    re_path(rf"{API}checks/$", api_checks.checks),
    re_path(rf"{API}checks/(?P<code>{UUID})$", api_checks.single),
    re_path(rf"{API}checks/(?P<unique_key>{UNIQUE_KEY})$", api_checks.single_by_unique_key),
    re_path(rf"{API}checks/(?P<code>{UUID})/pause$", api_checks.pause),
    re_path(rf"{API}checks/(?P<code>{UUID})/resume$", api_checks.resume),
    re_path(rf"{API}checks/(?P<code>{UUID})/pings/$", api_misc.pings),
    re_path(rf"{API}checks/(?P<code>{UUID})/pings/(?P<n>[0-9]+)/body$", api_misc.ping_body),
    re_path(rf"{API}checks/(?P<code>{UUID})/flips/$", api_misc.flips_by_code),
    re_path(rf"{API}checks/(?P<unique_key>{UNIQUE_KEY})/flips/$", api_misc.flips_by_unique_key),
    re_path(rf"{API}channels/$", api_channels.channels),
    re_path(rf"^api/v(?P<v>3)/channels/(?P<code>{UUID})$", api_channels.single),
    re_path(rf"{API}badges/$", badges.badges_list),
    re_path(rf"{API}status/$", api_misc.status),
    re_path(rf"{API}metrics/$", api_misc.metrics),
    re_path(r"^api/v3/openapi\.json$", openapi.openapi_document),
    re_path(rf"{API}(?:checks|channels|badges|status|metrics)$", add_slash),
    re_path(rf"{API}checks/(?:{UUID}|{UNIQUE_KEY})/(?:pings|flips)$", add_slash),
    # Badges.
    re_path(
        r"^badge/(?P<badge_key>[-a-zA-Z0-9_]+)/(?P<signature>[-a-zA-Z0-9_]+)/(?P<tag>[\w%~.-]+)\.(?P<fmt>svg|json|shields)$",
        badges.badge,
    ),
    re_path(
        r"^badge/(?P<badge_key>[-a-zA-Z0-9_]+)/(?P<signature>[-a-zA-Z0-9_]+)\.(?P<fmt>svg|json|shields)$",
        badges.badge,
    ),
    re_path(
        rf"^b/(?P<states>[0-9]+)/(?P<badge_key>{UUID})\.(?P<fmt>svg|json|shields)$",
        badges.check_badge,
    ),
]
