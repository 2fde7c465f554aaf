"""Routes of the details area, gathered by hc/front/urls/__init__.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from hc.front.views import details, log, pings

urlpatterns: list[URLPattern] = [
    path("checks/<uuid:code>/details/", details.details, name="hc-details"),
    path("checks/<uuid:code>/status/", details.status, name="hc-details-status"),
    path("checks/<uuid:code>/log/", log.log, name="hc-log"),
    path("checks/<uuid:code>/log_events/", log.log_events, name="hc-log-events"),
    path("checks/<uuid:code>/last_ping/", pings.last_ping, name="hc-last-ping"),
    path("checks/<uuid:code>/pings/<int:n>/", pings.ping_details, name="hc-ping-details"),
    path("checks/<uuid:code>/pings/<int:n>/body/", pings.ping_body, name="hc-ping-body"),
]
