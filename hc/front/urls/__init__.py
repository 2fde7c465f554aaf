"""The front app's routes (web spec §2), one module per area of the dashboard."""

from __future__ import annotations

from django.urls import URLPattern, path

from hc.front.urls import checks, details, docs, integrations, schedules
from hc.front.views import checks as checks_views
from hc.front.views import projects, robots

urlpatterns: list[URLPattern] = [
    path("robots.txt", robots.robots),
    path("favicon.ico", robots.favicon),
    path("", projects.index, name="hc-index"),
    path("projects/menu/", projects.project_menu, name="hc-project-menu"),
    path("projects/<uuid:code>/checks/", checks_views.checks, name="hc-checks"),
    *checks.urlpatterns,
    *schedules.urlpatterns,
    *details.urlpatterns,
    *integrations.urlpatterns,
    *docs.urlpatterns,
]
