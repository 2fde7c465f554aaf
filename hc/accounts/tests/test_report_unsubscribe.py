"""/accounts/unsubscribe_reports/<signed>/ (web §3.11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from hc.accounts.models import Profile, ReportFrequency
from hc.accounts.reports import send_report
from hc.accounts.tests.reports_helpers import EmailTestCase
from hc.accounts.unsubscribe import unsubscribe_url
from hc.api.models import Check, CheckStatus

NOW = datetime(2020, 1, 15, 10, tzinfo=UTC)


class UnsubscribeTestCase(EmailTestCase):
    def setUp(self) -> None:
        super().setUp()
        Profile.objects.filter(id=self.profile.id).update(
            reports=ReportFrequency.WEEKLY,
            next_report_date=NOW + timedelta(days=3),
            nag_period=timedelta(hours=1),
            next_nag_date=NOW + timedelta(minutes=10),
        )
        with time_machine.travel(NOW, tick=False):
            self.url = unsubscribe_url(self.alice).removeprefix("http://localhost:8000")
        # The one-click POST from a mail client carries no CSRF token.
        self.csrf_client = Client(enforce_csrf_checks=True)

    def assert_subscribed(self) -> None:
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.WEEKLY)
        self.assertEqual(self.profile.nag_period, timedelta(hours=1))
        self.assertIsNotNone(self.profile.next_report_date)
        self.assertIsNotNone(self.profile.next_nag_date)

    def test_url_shape(self) -> None:
        self.assertTrue(self.url.startswith("/accounts/unsubscribe_reports/alice:"))
        self.assertTrue(self.url.endswith("/"))

    def test_get_of_a_fresh_link_asks_for_confirmation(self) -> None:
        with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<form id="unsubscribe-form" method="post">')
        self.assertContains(r, "Unsubscribe</button>")
        self.assertNotContains(r, "<script>")
        self.assert_subscribed()

    def test_get_of_an_older_link_submits_itself(self) -> None:
        with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
            r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, ".submit();</script>")
        # The page submits, the GET itself changes nothing.
        self.assert_subscribed()

    def test_post_unsubscribes_without_csrf_token(self) -> None:
        with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
            r = self.csrf_client.post(self.url, {"List-Unsubscribe": "One-Click"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<h1>Unsubscribed</h1>")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.OFF)
        self.assertIsNone(self.profile.next_report_date)
        self.assertEqual(self.profile.nag_period, timedelta())
        self.assertIsNone(self.profile.next_nag_date)

    def test_links_do_not_expire(self) -> None:
        with time_machine.travel(NOW + timedelta(days=800), tick=False):
            r = self.csrf_client.post(self.url)
        self.assertContains(r, "<h1>Unsubscribed</h1>")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.OFF)

    def test_it_only_affects_the_signed_user(self) -> None:
        Profile.objects.filter(user=self.bob).update(nag_period=timedelta(hours=1))
        self.csrf_client.post(self.url)
        bob = Profile.objects.get(user=self.bob)
        self.assertEqual(bob.reports, ReportFrequency.MONTHLY)
        self.assertEqual(bob.nag_period, timedelta(hours=1))

    def test_bad_signature_shows_bad_link(self) -> None:
        tampered = self.url.replace("alice:", "bob:")
        for method in (self.client.get, self.csrf_client.post):
            r = method(tampered)
            self.assertEqual(r.status_code, 400)
            self.assertContains(r, "<h1>Bad link</h1>", status_code=400)
        self.assert_subscribed()

    def test_signature_with_another_salt_is_rejected(self) -> None:
        signed = signing.TimestampSigner(salt="change-email").sign("alice")
        r = self.csrf_client.post(f"/accounts/unsubscribe_reports/{signed}/")
        self.assertEqual(r.status_code, 400)
        self.assert_subscribed()

    def test_garbage_is_rejected(self) -> None:
        r = self.client.get("/accounts/unsubscribe_reports/%00%ff/")
        self.assertEqual(r.status_code, 400)

    def test_deleted_account_is_reported_unsubscribed(self) -> None:
        self.alice.delete()
        r = self.client.get(self.url)
        self.assertContains(r, "<h1>Unsubscribed</h1>")
        r = self.csrf_client.post(self.url)
        self.assertContains(r, "<h1>Unsubscribed</h1>")

    def test_other_methods_are_not_allowed(self) -> None:
        r = self.client.put(self.url)
        self.assertEqual(r.status_code, 405)
        self.assert_subscribed()

    def test_the_link_in_a_real_report_works(self) -> None:
        Check.objects.create(project=self.project, status=CheckStatus.UP, last_ping=NOW)
        with time_machine.travel(NOW, tick=False):
            self.assertTrue(send_report(Profile.objects.get(id=self.profile.id), timezone.now()))
        header = str(self.received(1)[0].message["List-Unsubscribe"]).strip()
        path = header.strip("<>").removeprefix("http://localhost:8000")
        r = self.csrf_client.post(path)
        self.assertContains(r, "<h1>Unsubscribed</h1>")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.reports, ReportFrequency.OFF)
        self.assertEqual(self.profile.nag_period, timedelta())
