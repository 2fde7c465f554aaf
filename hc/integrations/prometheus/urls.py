from __future__ import annotations

from django.urls import path

from hc.integrations.prometheus import views

urlpatterns = [
    path("projects/<uuid:code>/metrics/<str:key>", views.metrics),
    path("projects/<uuid:code>/checks/metrics/<str:key>", views.metrics),
    path("projects/<uuid:code>/metrics/", views.metrics_bearer),
]
