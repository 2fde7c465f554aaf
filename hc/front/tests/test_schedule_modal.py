"""The schedule dialog's template and its time zone choices (web spec §6.10, §6.10.4)."""

from __future__ import annotations

from django.template.loader import render_to_string

from hc.accounts.models import Project
from hc.api.models import Check, CheckKind
from hc.front.tz_choices import zone_choices
from hc.front.views.schedules import schedule_modal_context
from hc.lib.timezones import all_zones
from hc.test import BaseTestCase


class ZoneChoicesTestCase(BaseTestCase):
    def add(self, tz: str, n: int, project: Project | None = None) -> None:
        for _ in range(n):
            Check.objects.create(project=project or self.project, kind=CheckKind.CRON, tz=tz)

    def test_common_zones_are_the_projects_three_most_used(self) -> None:
        self.add("Europe/Riga", 3)
        self.add("Asia/Tokyo", 2)
        self.add("America/New_York", 2)
        self.add("UTC", 1)
        # Other projects do not count.
        self.add("Africa/Cairo", 5, project=self.charlies_project)
        with self.assertNumQueries(1):
            common, zones = zone_choices(self.project)
        self.assertEqual(common, ["Europe/Riga", "America/New_York", "Asia/Tokyo"])
        self.assertEqual(zones, all_zones())

    def test_unsupported_zones_are_not_offered(self) -> None:
        self.add("US/Eastern", 4)
        self.add("Europe/Riga", 1)
        common, _ = zone_choices(self.project)
        self.assertEqual(common, ["Europe/Riga"])

    def test_a_project_without_checks_has_no_common_zones(self) -> None:
        common, zones = zone_choices(self.project)
        self.assertEqual(common, [])
        self.assertIn("UTC", zones)
        self.assertNotIn("US/Eastern", zones)


class ScheduleModalTemplateTestCase(BaseTestCase):
    def test_it_renders_three_panels_and_both_zone_groups(self) -> None:
        Check.objects.create(project=self.project, kind=CheckKind.CRON, tz="Europe/Riga")
        html = render_to_string("front/schedule_modal.html", schedule_modal_context(self.project))
        self.assertIn('id="schedule-modal"', html)
        self.assertIn('data-bs-backdrop="static"', html)
        self.assertIn('data-cron-preview-url="/checks/cron_preview/"', html)
        self.assertIn('data-oncalendar-preview-url="/checks/oncalendar_preview/"', html)
        for kind in ("simple", "cron", "oncalendar"):
            self.assertIn(f'id="schedule-{kind}-form"', html)
            self.assertIn(f'<input type="hidden" name="kind" value="{kind}">', html)
        self.assertEqual(html.count('<optgroup label="Common time zones">'), 2)
        self.assertEqual(html.count('<optgroup label="All time zones">'), 2)
        self.assertEqual(html.count('<option value="Europe/Riga">'), 4)
        # Only the hidden seconds fields are submitted, not the number and unit.
        self.assertEqual(html.count('name="timeout"'), 1)
        self.assertEqual(html.count('name="grace"'), 3)
        self.assertIn("m h dom mon dow", html)
        self.assertIn('href="/docs/cron/"', html)
        for label in ("1 minute", "30 minutes", "1 hour", "12 hours", "1 day", "1 week"):
            self.assertIn(f">{label}</button>", html)
        self.assertIn('data-seconds="31536000">365 days</button>', html)
