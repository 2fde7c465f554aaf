from __future__ import annotations

from django.urls import path

from hc.integrations.email import views

urlpatterns = [
    path("integrations/<uuid:code>/verify/<str:token>/", views.verify),
    path("integrations/<uuid:code>/unsub/<str:signed>/", views.unsubscribe),
]
