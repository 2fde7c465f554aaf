"""The operators' admin for monitoring data: checks, pings, channels, alerts (web spec §13)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.options import ShowFacets
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from hc.accounts.models import Project
from hc.api.models import (
    Channel,
    ChannelKind,
    Check,
    CheckKind,
    DeliveryAttempt,
    Flip,
    Notification,
    Ping,
)
from hc.lib.admin_base import ModelAdmin, TabularInline, url_or_none
from hc.lib.admin_paginator import FixedCountPaginator
from hc.lib.downtime import format_duration


def _project_link(project: Project, route: str) -> SafeString:
    label = f"{project.owner.email} \u203a {project.name or 'Default Project'}"
    url = url_or_none(route, project.code)
    return format_html('<a href="{}">{}</a>', url, label) if url else format_html("{}", label)


def _kind_label(kind: str) -> str:
    # A kind this version does not know (a newer database) shows as stored.
    return ChannelKind(kind).label if kind in ChannelKind.values else kind


def _channel_value(channel: Channel) -> str:
    # Most kinds keep their main setting (address, URL, number) in "value".
    config = channel.config
    if isinstance(config, dict) and isinstance(config.get("value"), str):
        return str(config["value"])
    return json.dumps(config, separators=(",", ":"))


@transaction.atomic
def do_disable_channels(channel_ids: list[int]) -> int:
    return Channel.objects.filter(id__in=channel_ids).update(disabled=True)


# Check ---------------------------------------------------------------------------


@admin.register(Check)
class CheckAdmin(ModelAdmin[Check]):
    list_display = (
        "id",
        "name_tags",
        "project_link",
        "created",
        "n_pings",
        "schedule_text",
        "status_text",
        "last_start",
        "last_ping",
    )
    list_filter = ("status", "kind", "last_ping", "last_start")
    search_fields = ("id__exact", "name", "slug", "code", "project__owner__email")
    list_select_related = ("project__owner",)
    raw_id_fields = ("project",)
    readonly_fields = ("code", "badge_key")
    ordering = ("-id",)

    @admin.display(description="name", ordering="name")
    def name_tags(self, check: Check) -> SafeString:
        name = check.name or "unnamed"
        url = url_or_none("hc-details", check.code)
        link = format_html('<a href="{}">{}</a>', url, name) if url else format_html("{}", name)
        tags = format_html_join(
            " ", '<span class="admin-tag">{}</span>', ((tag,) for tag in check.tags.split())
        )
        return format_html("{} {}", link, tags)

    @admin.display(description="project", ordering="project__owner__email")
    def project_link(self, check: Check) -> SafeString:
        return _project_link(check.project, "hc-checks")

    @admin.display(description="schedule")
    def schedule_text(self, check: Check) -> str:
        if check.kind == CheckKind.SIMPLE:
            return format_duration(check.timeout)
        return Truncator(check.schedule).chars(30)

    @admin.display(description="status", ordering="status")
    def status_text(self, check: Check) -> SafeString:
        status = check.get_status()
        return format_html('<span class="admin-status {}">{}</span>', status.value, status.label)


# Ping ----------------------------------------------------------------------------


class SchemeFilter(admin.SimpleListFilter):
    # Fixed choices: listing the distinct values would scan the whole table.
    title = "scheme"
    parameter_name = "scheme"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("http", "HTTP"), ("https", "HTTPS"), ("email", "Email")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ping]) -> QuerySet[Ping]:
        value = self.value()
        return queryset.filter(scheme=value) if value in {"http", "https", "email"} else queryset


class MethodFilter(admin.SimpleListFilter):
    title = "method"
    parameter_name = "method"
    METHODS = ("GET", "POST", "HEAD", "PUT")

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [(m, m) for m in self.METHODS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ping]) -> QuerySet[Ping]:
        value = self.value()
        return queryset.filter(method=value) if value in self.METHODS else queryset


@admin.register(Ping)
class PingAdmin(ModelAdmin[Ping]):
    list_display = ("id", "created", "owner", "scheme", "method", "object_size", "user_agent")
    list_filter = ("created", SchemeFilter, MethodFilter, "kind")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    exclude = ("body_raw",)
    ordering = ("-id",)
    # The table can hold tens of millions of rows: never count them, and no
    # bulk actions, whose "select all" would reach past the pretended count.
    paginator = FixedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    actions = None

    @admin.display(description="user agent", ordering="ua")
    def user_agent(self, ping: Ping) -> str:
        return ping.ua


# Channel -------------------------------------------------------------------------


class NotifyDurationFilter(admin.SimpleListFilter):
    title = "last notify duration"
    parameter_name = "duration"
    SECONDS = (1, 6, 10)

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [(str(s), f"more than {s} s") for s in self.SECONDS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Channel]) -> QuerySet[Channel]:
        value = self.value()
        if value in {str(s) for s in self.SECONDS}:
            return queryset.filter(last_notify_duration__gt=timedelta(seconds=int(str(value))))
        return queryset


class LastErrorFilter(admin.SimpleListFilter):
    title = "last error"
    parameter_name = "error"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("none", "No error"), ("error", "Error")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Channel]) -> QuerySet[Channel]:
        if self.value() == "none":
            return queryset.filter(last_error="")
        if self.value() == "error":
            return queryset.exclude(last_error="")
        return queryset


@admin.register(Channel)
class ChannelAdmin(ModelAdmin[Channel]):
    list_display = (
        "id",
        "transport",
        "name",
        "project_link",
        "created_date",
        "value",
        "last_notify",
        "status",
        "duration",
    )
    list_filter = ("kind", NotifyDurationFilter, LastErrorFilter, "disabled")
    search_fields = ("config", "project__owner__email", "name", "code")
    list_select_related = ("project__owner",)
    raw_id_fields = ("project", "checks")
    ordering = ("-id",)
    actions = ("disable",)

    def view_on_site(self, channel: Channel) -> str | None:
        return url_or_none("hc-channels", channel.project.code)

    @admin.display(description="transport", ordering="kind")
    def transport(self, channel: Channel) -> SafeString:
        label = _kind_label(channel.kind)
        unverified = channel.kind == ChannelKind.EMAIL and not channel.email_verified
        return format_html(
            '<span class="admin-kind kind-{}">{}</span>{}',
            channel.kind,
            label,
            " (not verified)" if unverified else "",
        )

    @admin.display(description="project", ordering="project__owner__email")
    def project_link(self, channel: Channel) -> SafeString:
        return _project_link(channel.project, "hc-channels")

    @admin.display(description="created", ordering="created")
    def created_date(self, channel: Channel) -> str:
        return channel.created.date().isoformat()

    @admin.display(description="value")
    def value(self, channel: Channel) -> str:
        return Truncator(_channel_value(channel)).chars(100)

    @admin.display(description="status")
    def status(self, channel: Channel) -> str:
        if channel.disabled:
            return "Disabled"
        if channel.last_error:
            return "Error"
        return "OK" if channel.last_notify else "\u2013"

    @admin.display(description="duration", ordering="last_notify_duration")
    def duration(self, channel: Channel) -> str:
        if channel.last_notify_duration is None:
            return ""
        return f"{channel.last_notify_duration.total_seconds():.1f} s"

    @admin.action(description="Disable")
    def disable(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        count = do_disable_channels(list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"Disabled {count} integration(s).", messages.SUCCESS)


# Notification and its delivery attempts ------------------------------------------


class DeliveryOutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("ok", "OK"), ("error", "Error"), ("pending", "Pending")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Notification]
    ) -> QuerySet[Notification]:
        if self.value() == "ok":
            return queryset.filter(error="")
        if self.value() == "error":
            # A failed try stays pending while retries remain.
            return queryset.exclude(error="").filter(next_attempt=None)
        if self.value() == "pending":
            return queryset.exclude(next_attempt=None)
        return queryset


class ReadOnlyMixin:
    """Records of what happened: viewable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DeliveryAttemptInline(ReadOnlyMixin, TabularInline[DeliveryAttempt, Notification]):
    model = DeliveryAttempt
    fields = ("started", "duration", "error")
    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ModelAdmin[Notification]):
    list_display = (
        "id",
        "created",
        "channel_kind",
        "check_status",
        "project_link",
        "channel_value",
        "error",
        "attempts",
    )
    list_filter = ("channel__kind", "created", DeliveryOutcomeFilter)
    search_fields = ("owner__name", "owner__code", "channel__config", "error", "code")
    list_select_related = ("channel__project__owner",)
    readonly_fields = ("owner", "code")
    raw_id_fields = ("channel", "flip")
    ordering = ("-id",)
    inlines = (DeliveryAttemptInline,)

    @admin.display(description="channel kind", ordering="channel__kind")
    def channel_kind(self, notification: Notification) -> str:
        return _kind_label(notification.channel.kind)

    @admin.display(description="project")
    def project_link(self, notification: Notification) -> SafeString:
        return _project_link(notification.channel.project, "hc-checks")

    @admin.display(description="channel value")
    def channel_value(self, notification: Notification) -> str:
        return Truncator(_channel_value(notification.channel)).chars(100)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyMixin, ModelAdmin[DeliveryAttempt]):
    list_display = ("id", "notification", "started", "duration", "error")
    list_filter = ("started",)
    raw_id_fields = ("notification",)
    ordering = ("-id",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# Flip ----------------------------------------------------------------------------


@admin.register(Flip)
class FlipAdmin(ModelAdmin[Flip]):
    list_display = ("id", "created", "processed", "owner", "old_status", "new_status")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    ordering = ("-id",)
