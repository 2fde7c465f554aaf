"""The operators' admin for accounts: profiles, projects, users, security keys (web spec §13)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from hc.accounts import reports
from hc.accounts.login_flow import EMAIL_BACKEND
from hc.accounts.models import Credential, Member, Profile, Project
from hc.api.models import Channel, Check
from hc.lib import emails
from hc.lib.admin_base import ModelAdmin, UserAdmin, subquery_count, url_or_none

# Title and header come from templates/admin/base_site.html (site name, version).
admin.site.index_title = "Site Administration"

DELETION_DELAY = timedelta(days=31)
CHECK_THRESHOLDS = (10, 20, 50, 100, 500, 1000)

# reports.send_report or reports.send_nag: False when there was nothing to send.
Sender = Callable[[Profile, datetime], bool]


def _project_label(project: Project) -> str:
    return project.name or f"Default Project for {project.owner.email}"


def _usage(checks: int, channels: int) -> SafeString:
    # Most accounts try the service with one check; more means real use.
    text = f"{checks} check{'s' if checks != 1 else ''}, {channels} channel{'s' if channels != 1 else ''}"
    return format_html("<strong>{}</strong>", text) if checks > 1 else format_html("{}", text)


# Service functions behind the actions ------------------------------------------


@transaction.atomic
def do_remove_totp(profile_ids: list[int]) -> int:
    return Profile.objects.filter(id__in=profile_ids).update(totp="", totp_created=None)


@transaction.atomic
def do_schedule_deletion(profile_ids: list[int]) -> int:
    when = timezone.now() + DELETION_DELAY
    return Profile.objects.filter(id__in=profile_ids).update(deletion_scheduled_date=when)


@transaction.atomic
def do_unschedule_deletion(profile_ids: list[int]) -> int:
    return Profile.objects.filter(id__in=profile_ids).update(deletion_scheduled_date=None)


@transaction.atomic
def do_activate_users(user_ids: list[int]) -> int:
    return User.objects.filter(id__in=user_ids).update(is_active=True)


@transaction.atomic
def do_deactivate_users(user_ids: list[int]) -> int:
    # An unusable password also ends the users' sessions: Django checks a
    # hash of the password on every request.
    return User.objects.filter(id__in=user_ids).update(
        is_active=False, password=make_password(None)
    )


def _ids(queryset: QuerySet[Profile] | QuerySet[User]) -> list[int]:
    # Plain ids: the admin's querysets carry annotations and prefetches.
    return list(queryset.values_list("id", flat=True))


# Profile -------------------------------------------------------------------------


class CheckCountFilter(admin.SimpleListFilter):
    title = "number of checks"
    parameter_name = "checks"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [(str(n), f"more than {n}") for n in CHECK_THRESHOLDS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Profile]) -> QuerySet[Profile]:
        value = self.value()
        if value in {str(n) for n in CHECK_THRESHOLDS}:
            # Q: the count is an annotation the type checker cannot see.
            return queryset.filter(Q(num_checks__gt=int(str(value))))
        return queryset


@admin.register(Profile)
class ProfileAdmin(ModelAdmin[Profile]):
    list_display = (
        "id",
        "email",
        "checks",
        "projects",
        "date_joined",
        "last_active_date",
        "over_limit_date",
        "deletion_scheduled_date",
        "sms",
        "reports",
    )
    list_filter = (
        "check_limit",
        CheckCountFilter,
        "last_active_date",
        "over_limit_date",
        "deletion_scheduled_date",
        "reports",
    )
    search_fields = ("id__exact", "user__email")
    list_per_page = 30
    ordering = ("-id",)
    readonly_fields = ("email",)
    fieldsets = (
        (
            "User Profile",
            {
                "fields": (
                    "email",
                    "tz",
                    "reports",
                    "next_report_date",
                    "nag_period",
                    "next_nag_date",
                    "token",
                    "theme",
                    "sort",
                )
            },
        ),
        (
            "Limits",
            {
                "fields": (
                    "check_limit",
                    "ping_log_limit",
                    "sms_limit",
                    "sms_sent",
                    "last_sms_date",
                    "call_limit",
                    "calls_sent",
                    "last_call_date",
                )
            },
        ),
        (
            "Deletion",
            {"fields": ("over_limit_date", "deletion_notice_date", "deletion_scheduled_date")},
        ),
    )
    actions = (
        "login_as",
        "send_report",
        "send_reminder",
        "remove_totp",
        "schedule_deletion",
        "unschedule_deletion",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        owned = Project.objects.select_related("owner").order_by("name", "id")
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related(Prefetch("user__project_set", queryset=owned))
            .annotate(
                num_checks=subquery_count(Check.objects.filter(project__owner=OuterRef("user_id")))
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Profiles come with their users (signup, or the User admin).
        return False

    def has_login_as_permission(self, request: HttpRequest) -> bool:
        # Impersonation would let staff become superusers.
        return request.user.is_superuser

    @admin.display(ordering="user__email")
    def email(self, profile: Profile) -> str:
        return profile.user.email

    @admin.display(description="date joined", ordering="user__date_joined")
    def date_joined(self, profile: Profile) -> datetime:
        return profile.user.date_joined

    @admin.display(description="checks", ordering="num_checks")
    def checks(self, profile: Profile) -> SafeString:
        num_checks: int = getattr(profile, "num_checks", 0)
        text = f"{num_checks} of {profile.check_limit}"
        return (
            format_html("<strong>{}</strong>", text) if num_checks > 1 else format_html("{}", text)
        )

    @admin.display(description="owned projects")
    def projects(self, profile: Profile) -> SafeString:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (url_or_none("hc-checks", p.code), _project_label(p))
                for p in profile.user.project_set.all()
            ),
        )

    @admin.display(description="SMS")
    def sms(self, profile: Profile) -> str:
        return f"{profile.sms_sent} of {profile.sms_limit}"

    @admin.action(description="Log in as", permissions=["login_as"])
    def login_as(self, request: HttpRequest, queryset: QuerySet[Profile]) -> HttpResponse | None:
        profiles = list(queryset.select_related("user")[:2])
        if len(profiles) != 1:
            self.message_user(request, "Select exactly one profile to log in as.", messages.ERROR)
            return None
        login(request, profiles[0].user, backend=EMAIL_BACKEND)
        return redirect("hc-index")

    @admin.action(description="Send report now")
    def send_report(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        self._send(request, queryset, reports.send_report, "report")

    @admin.action(description="Send reminder now")
    def send_reminder(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        self._send(request, queryset, reports.send_nag, "reminder")

    def _send(
        self,
        request: HttpRequest,
        queryset: QuerySet[Profile],
        send: Sender,
        noun: str,
    ) -> None:
        now = timezone.now()
        sent, skipped, failed = 0, 0, []
        for profile in queryset.select_related("user"):
            try:
                if send(profile, now):
                    sent += 1
                else:
                    skipped += 1
            except emails.EmailError:
                failed.append(profile.user.email)
        self.message_user(request, f"Sent {sent} {noun}(s); {skipped} had nothing to send.")
        if failed:
            self.message_user(request, f"Could not send to: {', '.join(failed)}.", messages.ERROR)

    @admin.action(description="Remove TOTP")
    def remove_totp(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        count = do_remove_totp(_ids(queryset))
        self.message_user(request, f"Removed the authenticator app of {count} profile(s).")

    @admin.action(description="Schedule for deletion")
    def schedule_deletion(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        count = do_schedule_deletion(_ids(queryset))
        self.message_user(request, f"Scheduled {count} profile(s) for deletion in 31 days.")

    @admin.action(description="Unschedule")
    def unschedule_deletion(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        count = do_unschedule_deletion(_ids(queryset))
        self.message_user(request, f"Cancelled the deletion of {count} profile(s).")


# Project -------------------------------------------------------------------------


@admin.register(Project)
class ProjectAdmin(ModelAdmin[Project]):
    list_display = ("id", "project_name", "users", "usage", "show_checks")
    search_fields = ("id__exact", "name", "owner__email", "code")
    readonly_fields = ("code", "owner")
    ordering = ("-id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        members = Member.objects.select_related("user").order_by("user__email")
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .prefetch_related(Prefetch("member_set", queryset=members))
            .annotate(
                num_checks=subquery_count(Check.objects.filter(project=OuterRef("pk"))),
                num_channels=subquery_count(Channel.objects.filter(project=OuterRef("pk"))),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The owner is read-only here: projects are created on the site.
        return False

    @admin.display(description="name", ordering="name")
    def project_name(self, project: Project) -> str:
        return _project_label(project)

    @admin.display(description="users")
    def users(self, project: Project) -> SafeString:
        owner = format_html("<strong>{}</strong>", project.owner.email)
        members = format_html_join(", ", "{}", ((m.user.email,) for m in project.member_set.all()))
        return format_html("{}, {}", owner, members) if members else owner

    @admin.display(description="usage", ordering="num_checks")
    def usage(self, project: Project) -> SafeString:
        return _usage(getattr(project, "num_checks", 0), getattr(project, "num_channels", 0))

    @admin.display(description="")
    def show_checks(self, project: Project) -> SafeString:
        url = url_or_none("hc-checks", project.code)
        return format_html('<a href="{}">Show Checks</a>', url) if url else SafeString("")


# User (replaces Django's default) ------------------------------------------------


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin[User]):
    list_display = (
        "id",
        "email",
        "usage",
        "date_joined",
        "last_login",
        "last_active",
        "is_staff",
    )
    list_filter = ("last_login", "date_joined", "is_staff", "is_active")
    ordering = ("-id",)
    actions = ("activate", "deactivate")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .select_related("profile")
            .annotate(
                num_checks=subquery_count(Check.objects.filter(project__owner=OuterRef("pk"))),
                num_channels=subquery_count(Channel.objects.filter(project__owner=OuterRef("pk"))),
            )
        )

    @admin.display(description="last active", ordering="profile__last_active_date")
    def last_active(self, user: User) -> datetime | None:
        profile = getattr(user, "profile", None)
        return profile.last_active_date if profile else None

    @admin.display(description="usage", ordering="num_checks")
    def usage(self, user: User) -> SafeString:
        return _usage(getattr(user, "num_checks", 0), getattr(user, "num_channels", 0))

    @admin.action(description="Activate")
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = do_activate_users(_ids(queryset))
        self.message_user(request, f"Activated {count} user(s).")

    @admin.action(description="Deactivate")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Deactivating oneself would lock the operator out mid-session.
        selected = _ids(queryset)
        ids = [pk for pk in selected if pk != request.user.pk]
        if len(ids) < len(selected):
            self.message_user(request, "You cannot deactivate yourself.", messages.WARNING)
        count = do_deactivate_users(ids)
        self.message_user(request, f"Deactivated {count} user(s).")


# Credential ----------------------------------------------------------------------


@admin.register(Credential)
class CredentialAdmin(ModelAdmin[Credential]):
    list_display = ("id", "created", "user__email", "name")
    list_filter = ("created",)
    search_fields = ("id__exact", "code", "name", "user__email")
    readonly_fields = ("user",)
    list_select_related = ("user",)
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are registered in the browser; operators only rename or delete them.
        return False
