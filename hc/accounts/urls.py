"""Routes of the accounts app, mounted under /accounts/."""

from __future__ import annotations

from django.urls import path

from hc.accounts import views_unsubscribe

urlpatterns = [
    path(
        "unsubscribe_reports/<str:signed>/",
        views_unsubscribe.unsubscribe_reports,
        name="hc-unsubscribe-reports",
    ),
]
