"""Project management routes served by the accounts app (web spec §2)."""

from __future__ import annotations

from django.urls import path

from hc.accounts.views import projects

urlpatterns = [
    path("projects/add/", projects.add_project, name="hc-add-project"),
    path("projects/<uuid:code>/settings/", projects.project_settings, name="hc-project-settings"),
    path("projects/<uuid:code>/remove/", projects.remove_project, name="hc-remove-project"),
]
