"""Routes of the details area, gathered by hc/front/urls/__init__.py."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
