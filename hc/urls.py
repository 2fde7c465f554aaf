from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from hc.accounts.views import auth

urlpatterns = [
    # Admin login goes through our login, with its second factors.
    path("admin/login/", auth.login),
    path("admin/", admin.site.urls),
    path("accounts/", include("hc.accounts.urls")),
    path("", include("hc.accounts.project_urls")),
    path("", include("hc.api.urls")),
    path("", include("hc.api.callback_urls")),
    path("", include("hc.front.urls")),
    path("", include("hc.integrations.prometheus.urls")),
    path("", include("hc.integrations.email.urls")),
    path("", include("hc.integrations.webhook.urls")),
]
