from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("hc.accounts.urls")),
    path("", include("hc.api.urls")),
    path("", include("hc.api.callback_urls")),
    path("", include("hc.front.urls")),
    path("", include("hc.integrations.prometheus.urls")),
    path("", include("hc.integrations.email.urls")),
]
