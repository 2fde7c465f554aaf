from __future__ import annotations

from django.urls import path

from hc.front import views

urlpatterns = [
    path("robots.txt", views.robots),
]
