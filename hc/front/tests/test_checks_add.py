"""The Add Check dialog's endpoint (web spec §6.7, §16)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hc.accounts.models import Profile
from hc.api.models import Channel, Check, CheckKind
from hc.test import BaseTestCase


class AddCheckTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/projects/{self.project.code}/checks/add/"
        self.checks_url = f"/projects/{self.project.code}/checks/"

    def form(self, **fields: Any) -> dict[str, Any]:
        data = {
            "name": "Nightly backup",
            "slug": "nightly-backup",
            "tags": "db prod",
            "kind": "simple",
            "timeout": "3600",
            "grace": "600",
        }
        data.update(fields)
        return {key: value for key, value in data.items() if value is not None}

    def post(self, user: str = "bob", referer: str = "", **fields: Any) -> Any:
        self.client.force_login(getattr(self, user))
        headers = {"referer": referer} if referer else {}
        return self.client.post(self.url, self.form(**fields), headers=headers)

    def assert_rejected(self, message: str, **fields: Any) -> None:
        response = self.post(**fields)
        self.assertContains(response, message, status_code=400)
        self.assertFalse(Check.objects.exists())

    def test_it_creates_a_simple_check(self) -> None:
        response = self.post()
        self.assertRedirects(response, self.checks_url, fetch_redirect_response=False)
        check = Check.objects.get()
        self.assertEqual(check.project, self.project)
        self.assertEqual(check.name, "Nightly backup")
        self.assertEqual(check.slug, "nightly-backup")
        self.assertEqual(check.tags, "db prod")
        self.assertEqual(check.kind, CheckKind.SIMPLE)
        self.assertEqual(check.timeout, timedelta(hours=1))
        self.assertEqual(check.grace, timedelta(minutes=10))
        self.assertEqual(check.schedule, "* * * * *")
        self.assertEqual(check.status, "new")

    def test_it_assigns_every_integration_of_the_project(self) -> None:
        a = Channel.objects.create(project=self.project, kind="email")
        b = Channel.objects.create(project=self.project, kind="webhook")
        Channel.objects.create(project=self.charlies_project, kind="email")
        self.post()
        self.assertEqual(set(Check.objects.get().channel_set.all()), {a, b})

    def test_it_creates_a_cron_check(self) -> None:
        self.post(kind="cron", schedule="0 2 * * 1-5", tz="Europe/Riga", timeout=None)
        check = Check.objects.get()
        self.assertEqual(check.kind, CheckKind.CRON)
        self.assertEqual(check.schedule, "0 2 * * 1-5")
        self.assertEqual(check.tz, "Europe/Riga")
        self.assertEqual(check.timeout, timedelta(days=1))

    def test_it_creates_an_oncalendar_check(self) -> None:
        self.post(kind="oncalendar", schedule="Mon *-*-* 02:00\n*-*-01 03:00", tz="UTC")
        check = Check.objects.get()
        self.assertEqual(check.kind, CheckKind.ONCALENDAR)
        self.assertEqual(check.schedule, "Mon *-*-* 02:00\n*-*-01 03:00")

    def test_legacy_zone_names_are_stored_canonical(self) -> None:
        self.post(kind="cron", schedule="* * * * *", tz="US/Eastern")
        self.assertEqual(Check.objects.get().tz, "America/New_York")

    def test_simple_checks_ignore_a_sent_schedule(self) -> None:
        self.post(schedule="not a schedule")
        self.assertEqual(Check.objects.get().schedule, "* * * * *")

    def test_empty_optional_fields(self) -> None:
        self.post(name="", slug="", tags="")
        check = Check.objects.get()
        self.assertEqual((check.name, check.slug, check.tags), ("", "", ""))

    def test_tags_are_normalised(self) -> None:
        self.post(tags="  db   prod\tdb  ")
        self.assertEqual(Check.objects.get().tags, "db prod")

    def test_it_keeps_the_filters_of_the_referring_page(self) -> None:
        referer = f"http://testserver{self.checks_url}?tag=db&search=x&urls=slug&status=down"
        response = self.post(referer=referer)
        self.assertRedirects(
            response,
            f"{self.checks_url}?tag=db&search=x&status=down",
            fetch_redirect_response=False,
        )

    def test_read_only_members_get_403(self) -> None:
        self.assertEqual(self.post(user="rose").status_code, 403)
        self.assertFalse(Check.objects.exists())

    def test_non_members_get_404(self) -> None:
        self.assertEqual(self.post(user="charlie").status_code, 404)

    def test_get_is_not_allowed(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_no_free_slot_gets_400(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        Check.objects.create(project=self.charlies_project)  # not Alice's
        self.assertEqual(self.post().status_code, 302)
        response = self.post()
        self.assertContains(response, "no free check slots", status_code=400)
        self.assertEqual(Check.objects.filter(project=self.project).count(), 1)

    # Validation rows of §16 -----------------------------------------------------------

    def test_name_is_at_most_100_characters(self) -> None:
        self.assert_rejected("at most 100 characters", name="x" * 101)
        self.post(name="x" * 100)
        self.assertEqual(Check.objects.get().name, "x" * 100)

    def test_slug_rules(self) -> None:
        for slug in ("Upper", "with space", "ümlaut", "dots.here", "x" * 101):
            with self.subTest(slug=slug):
                response = self.post(slug=slug)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Check.objects.exists())
        self.assert_rejected("lower-case letters, digits", slug="Upper")
        self.post(slug="a-b_c9")
        self.assertEqual(Check.objects.get().slug, "a-b_c9")

    def test_tags_are_at_most_500_characters(self) -> None:
        self.assert_rejected(
            "Tags can be at most 500", tags=" ".join(f"tag{i:02}" for i in range(100))
        )

    def test_period_and_grace_bounds(self) -> None:
        for field in ("timeout", "grace"):
            for value in ("59", "31536001", "abc", "1.5", ""):
                with self.subTest(field=field, value=value):
                    self.assertEqual(self.post(**{field: value}).status_code, 400)
        self.assertFalse(Check.objects.exists())
        self.assert_rejected("between 1 minute and 365 days", timeout="59")
        self.post(timeout="60", grace="31536000")
        check = Check.objects.get()
        self.assertEqual(check.timeout, timedelta(minutes=1))
        self.assertEqual(check.grace, timedelta(days=365))

    def test_kind_must_be_known(self) -> None:
        self.assert_rejected("simple, cron or oncalendar", kind="weekly")
        self.assert_rejected("Choose a schedule kind", kind=None)

    def test_cron_expressions_are_validated(self) -> None:
        for schedule in ("* * * *", "61 * * * *", "* * * * * *", "0 0 30 2 *", "x" * 101, ""):
            with self.subTest(schedule=schedule):
                response = self.post(kind="cron", schedule=schedule, tz="UTC")
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Check.objects.exists())
        self.assert_rejected("valid cron expression", kind="cron", schedule="* * * *")

    def test_oncalendar_expressions_are_validated(self) -> None:
        self.assert_rejected(
            "valid OnCalendar expression", kind="oncalendar", schedule="not a calendar"
        )
        self.assert_rejected(
            "valid OnCalendar expression", kind="oncalendar", schedule="Mon *-*-* 02:00 UTC extra"
        )

    def test_time_zone_must_be_supported(self) -> None:
        self.assert_rejected(
            "Unsupported time zone", kind="cron", schedule="* * * * *", tz="Mars/Base"
        )
        self.assert_rejected("Unsupported time zone", tz="../etc/passwd")

    def test_nul_characters_are_rejected(self) -> None:
        self.assert_rejected("Null characters are not allowed", name="a\x00b")
