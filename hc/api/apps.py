from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hc.api"
    label = "api"

    def ready(self) -> None:
        from hc.api import system_checks  # noqa: F401  (registers the checks)
