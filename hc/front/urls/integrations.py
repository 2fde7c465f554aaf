"""Routes of the integrations area, gathered by hc/front/urls/__init__.py.

The add forms of each kind live in that kind's package (hc/integrations/<kind>/urls.py).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from hc.front.views import badges, integrations

urlpatterns: list[URLPattern] = [
    path("projects/<uuid:code>/integrations/", integrations.channels, name="hc-channels"),
    path("projects/<uuid:code>/badges/", badges.badges, name="hc-badges"),
    path(
        "integrations/<uuid:code>/checks/",
        integrations.channel_checks,
        name="hc-channel-checks",
    ),
    path("integrations/<uuid:code>/name/", integrations.channel_name, name="hc-channel-name"),
    path("integrations/<uuid:code>/edit/", integrations.edit_channel, name="hc-edit-channel"),
    path("integrations/<uuid:code>/test/", integrations.channel_test, name="hc-channel-test"),
    path(
        "integrations/<uuid:code>/remove/",
        integrations.remove_channel,
        name="hc-remove-channel",
    ),
]
