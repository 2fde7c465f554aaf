"""Routes of the schedules area, gathered by hc/front/urls/__init__.py."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from hc.front.views import check_actions, schedules

urlpatterns: list[URLPattern] = [
    path("checks/cron_preview/", schedules.cron_preview, name="hc-cron-preview"),
    path("checks/oncalendar_preview/", schedules.oncalendar_preview, name="hc-oncalendar-preview"),
    path(
        "checks/validate_schedule/",
        schedules.validate_schedule_view,
        name="hc-validate-schedule",
    ),
    path("checks/<uuid:code>/timeout/", schedules.update_timeout, name="hc-update-timeout"),
    path("checks/<uuid:code>/pause/", check_actions.pause, name="hc-pause"),
    path("checks/<uuid:code>/resume/", check_actions.resume, name="hc-resume"),
    path("checks/<uuid:code>/remove/", check_actions.remove_check, name="hc-remove-check"),
    path("checks/<uuid:code>/clear_events/", check_actions.clear_events, name="hc-clear-events"),
    path("checks/<uuid:code>/transfer/", check_actions.transfer, name="hc-transfer"),
    path("checks/<uuid:code>/copy/", check_actions.copy, name="hc-copy"),
    path(
        "checks/<uuid:code>/filtering_rules/",
        check_actions.filtering_rules,
        name="hc-filtering-rules",
    ),
    re_path(r"^cloaked/(?P<unique_key>[0-9a-f]{40})/$", check_actions.uncloak, name="hc-uncloak"),
]
