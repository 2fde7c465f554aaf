from __future__ import annotations

from django.urls import path

from hc.front.views import checks, projects, robots

urlpatterns = [
    path("robots.txt", robots.robots),
    path("", projects.index, name="hc-index"),
    path("projects/menu/", projects.project_menu, name="hc-project-menu"),
    path("projects/<uuid:code>/checks/", checks.checks, name="hc-checks"),
]
