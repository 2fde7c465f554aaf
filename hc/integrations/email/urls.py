from __future__ import annotations

from django.urls import path

from hc.integrations.email import views

urlpatterns = [
    path("projects/<uuid:code>/add_email/", views.add_email, name="hc-add-email"),
    path("integrations/<uuid:code>/verify/<str:token>/", views.verify, name="hc-verify-email"),
    path(
        "integrations/<uuid:code>/unsub/<str:signed>/",
        views.unsubscribe,
        name="hc-unsubscribe-email",
    ),
]
