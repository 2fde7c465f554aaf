from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("hc.api.urls")),
    path("", include("hc.front.urls")),
    path("", include("hc.integrations.prometheus.urls")),
]
