"""Routes of the api app. Ping routes follow spec ping-api §2.1 to the letter."""

from __future__ import annotations

from django.urls import re_path

from hc.api.views import ping

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
NAME = r"[-a-zA-Z0-9_]+"
ACTION = r"start|fail|log|[0-9]+"

urlpatterns = [
    # A trailing slash is accepted on the UUID success URL only.
    re_path(rf"^ping/(?P<code>{UUID})/?$", ping.ping_by_code),
    re_path(rf"^ping/(?P<code>{UUID})/(?P<action>{ACTION})$", ping.ping_by_code),
    re_path(rf"^ping/(?P<ping_key>{NAME})/(?P<slug>{NAME})$", ping.ping_by_slug),
    re_path(
        rf"^ping/(?P<ping_key>{NAME})/(?P<slug>{NAME})/(?P<action>{ACTION})$", ping.ping_by_slug
    ),
]
