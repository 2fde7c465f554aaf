"""Routes of the checks area, gathered by hc/front/urls/__init__.py.

The page itself (hc-checks) is routed in hc/front/urls/__init__.py.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from hc.front.views import checks

urlpatterns: list[URLPattern] = [
    path("projects/<uuid:code>/checks/status/", checks.status, name="hc-checks-status"),
    path("projects/<uuid:code>/checks/add/", checks.add_check, name="hc-add-check"),
    path("checks/<uuid:code>/name/", checks.update_name, name="hc-update-name"),
    path(
        "checks/<uuid:code>/channels/<uuid:channel>/enabled",
        checks.switch_channel,
        name="hc-switch-channel",
    ),
]
