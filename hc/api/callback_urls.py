"""Routes for delivery feedback from SMS/call providers and mail relays.

They share the API's URL prefix but are not part of the Management API
(management-api §6.14: not for API clients), so they live apart from
hc.api.urls, whose routes the OpenAPI document must all describe.
"""

from __future__ import annotations

from django.urls import re_path

from hc.api.urls import API
from hc.api.views import callbacks

urlpatterns = [
    re_path(rf"{API}notifications/(?P<code>[^/]+)/status$", callbacks.notification_status),
    re_path(rf"{API}bounces/$", callbacks.bounces),
]
