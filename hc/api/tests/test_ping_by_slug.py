"""Pinging by ping key and slug, and auto-provisioning (spec ping-api §2.1, §11.1, §12)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from hc.accounts.models import Profile, Project
from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus, Ping, PingKind
from hc.test import PING_KEY, BaseTestCase, stored_body

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
RID = "5d2c7f0a-1b3e-4c9d-8a76-0e4f2b1c3d5a"


class SlugTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup", slug="backup")
        self.url = f"/ping/{PING_KEY}/backup"

    def pings(self, check: Check | None = None) -> list[Ping]:
        return list(Ping.objects.filter(owner=check or self.check).order_by("n"))

    def only_ping(self, check: Check | None = None) -> Ping:
        pings = self.pings(check)
        self.assertEqual(len(pings), 1)
        return pings[0]

    def assert_no_checks_created(self) -> None:
        self.assertEqual(list(Check.objects.all()), [self.check])
        self.assertFalse(Ping.objects.exists())


class PingBySlugTestCase(SlugTestCase):
    @time_machine.travel(NOW, tick=False)
    def test_it_records_a_success(self) -> None:
        r = self.client.get(self.url, HTTP_USER_AGENT="runitor")
        self.assert_text(r, 200, "OK")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        self.assertIn("no-store", r["Cache-Control"])
        self.assertTrue(r.has_header("Expires"))

        ping = self.only_ping()
        self.assertEqual(ping.kind, PingKind.SUCCESS)
        self.assertEqual(ping.ua, "runitor")
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.UP)
        self.assertEqual(self.check.last_ping, NOW)

    def test_it_handles_every_action(self) -> None:
        cases = [
            ("/start", PingKind.START, None),
            ("/log", PingKind.LOG, None),
            ("/fail", PingKind.FAIL, None),
            ("/0", PingKind.SUCCESS, 0),
            ("/007", PingKind.FAIL, 7),
            ("/255", PingKind.FAIL, 255),
        ]
        for suffix, kind, exitstatus in cases:
            with self.subTest(suffix=suffix):
                r = self.client.post(self.url + suffix, "body", content_type="text/plain")
                self.assert_text(r, 200, "OK")
                latest = Ping.objects.filter(owner=self.check).latest("n")
                self.assertEqual(latest.kind, kind)
                self.assertEqual(latest.exitstatus, exitstatus)
                self.assertEqual(stored_body(latest), b"body")

    def test_it_rejects_exit_status_256(self) -> None:
        self.assert_text(self.client.get(self.url + "/256"), 400, "invalid url format")
        self.assert_no_checks_created()

    def test_it_accepts_a_rid(self) -> None:
        self.assert_text(self.client.get(f"{self.url}/start?rid={RID.upper()}"), 200, "OK")
        self.assertEqual(self.only_ping().rid, uuid.UUID(RID))

    def test_it_rejects_a_bad_rid(self) -> None:
        self.assert_text(self.client.get(f"{self.url}?rid=42"), 400, "invalid uuid format")
        self.assert_no_checks_created()

    def test_it_is_exempt_from_csrf_checks(self) -> None:
        r = Client(enforce_csrf_checks=True).post(self.url, "x", content_type="text/plain")
        self.assert_text(r, 200, "OK")

    def test_it_rejects_an_uppercase_slug(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY}/Backup")
        self.assert_text(r, 400, "invalid url format")
        self.assert_no_checks_created()

    def test_it_rejects_an_uppercase_slug_before_looking_up_the_key(self) -> None:
        for url in [
            "/ping/no-such-key/Backup",
            "/ping/no-such-key/Backup/fail",
            f"/ping/{PING_KEY}/Web-02?create=1",
            f"/ping/{PING_KEY}/BACKUP/start?create=1",
        ]:
            with self.subTest(url=url):
                self.assert_text(self.client.get(url), 400, "invalid url format")
        self.assert_no_checks_created()

    def test_it_answers_not_found_for_an_unknown_key(self) -> None:
        for suffix in ["", "/start", "/fail", "/log", "/1"]:
            with self.subTest(suffix=suffix):
                r = self.client.get(f"/ping/unknownkey0123456789ab/backup{suffix}")
                self.assert_text(r, 404, "not found")
        self.assert_no_checks_created()

    def test_it_matches_the_ping_key_exactly(self) -> None:
        self.assert_text(self.client.get(f"/ping/{PING_KEY.upper()}/backup"), 404, "not found")
        self.assert_text(self.client.get(f"/ping/{PING_KEY[:-1]}/backup"), 404, "not found")
        self.assert_no_checks_created()

    def test_it_accepts_a_legacy_ping_key_with_uppercase_and_punctuation(self) -> None:
        project = Project.objects.create(owner=self.alice, badge_key="legacy", ping_key="Ab-C_d")
        check = Check.objects.create(project=project, slug="backup")
        self.assert_text(self.client.get("/ping/Ab-C_d/backup"), 200, "OK")
        self.assertEqual(self.only_ping(check).kind, PingKind.SUCCESS)
        self.assert_text(self.client.get("/ping/ab-c_d/backup"), 404, "not found")

    def test_it_answers_not_found_for_an_unknown_slug(self) -> None:
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-02"), 404, "not found")
        self.assert_no_checks_created()

    def test_it_checks_the_slug_before_the_exit_status_and_rid(self) -> None:
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-02/256"), 404, "not found")
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-02?rid=42"), 404, "not found")

    def test_it_does_not_find_checks_of_other_projects(self) -> None:
        Check.objects.create(project=self.charlies_project, slug="charlies-job")
        r = self.client.get(f"/ping/{PING_KEY}/charlies-job")
        self.assert_text(r, 404, "not found")
        self.assertFalse(Ping.objects.exists())

    def test_it_picks_the_check_of_the_keys_project(self) -> None:
        self.charlies_project.ping_key = "charliescharliescharli"
        self.charlies_project.save()
        charlies = Check.objects.create(project=self.charlies_project, slug="backup")
        self.assert_text(self.client.get("/ping/charliescharliescharli/backup"), 200, "OK")
        self.assertEqual(self.only_ping(charlies).kind, PingKind.SUCCESS)
        self.assertEqual(self.pings(), [])

    def test_it_answers_409_for_an_ambiguous_slug(self) -> None:
        other = Check.objects.create(project=self.project, name="Backup 2", slug="backup")
        for suffix in ["", "/start", "/fail", "/log", "/0", "?create=1", "?rid=42", "/256"]:
            with self.subTest(suffix=suffix):
                self.assert_text(self.client.get(self.url + suffix), 409, "ambiguous slug")
        self.assertFalse(Ping.objects.exists())
        for check in (self.check, other):
            check.refresh_from_db()
            self.assertEqual(check.n_pings, 0)
            self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(Check.objects.count(), 2)

    def test_it_pings_checks_whose_slug_looks_like_an_action(self) -> None:
        for slug in ["start", "fail", "log", "5"]:
            with self.subTest(slug=slug):
                check = Check.objects.create(project=self.project, slug=slug)
                self.assert_text(self.client.get(f"/ping/{PING_KEY}/{slug}"), 200, "OK")
                ping = self.only_ping(check)
                self.assertEqual(ping.kind, PingKind.SUCCESS)
                self.assertIsNone(ping.exitstatus)
                check.refresh_from_db()
                self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(self.pings(), [])

    def test_it_applies_an_action_to_a_check_with_an_action_like_slug(self) -> None:
        check = Check.objects.create(project=self.project, slug="start")
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/start/start"), 200, "OK")
        self.assertEqual(self.only_ping(check).kind, PingKind.START)

    def test_a_uuid_with_an_unknown_suffix_is_a_slug_url(self) -> None:
        for suffix in ["foo", "-1", "FAIL"]:
            with self.subTest(suffix=suffix):
                r = self.client.get(f"/ping/{self.check.code}/{suffix}")
                if suffix == "FAIL":
                    self.assert_text(r, 400, "invalid url format")
                else:
                    self.assert_text(r, 404, "not found")
        self.assertFalse(Ping.objects.exists())

    def test_it_has_no_route_for_a_trailing_slash(self) -> None:
        for suffix in ["/", "/start/", "/fail/", "/0/"]:
            with self.subTest(suffix=suffix):
                r = self.client.get(self.url + suffix)
                self.assertEqual(r.status_code, 404)
                self.assertNotEqual(r.content, b"not found")  # the framework's page
        self.assertFalse(Ping.objects.exists())

    def test_it_ignores_create_when_the_check_exists(self) -> None:
        self.assert_text(self.client.get(self.url + "?create=1"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)
        self.assertEqual(Check.objects.count(), 1)


class AutoProvisioningTestCase(SlugTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.email = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        self.webhook = Channel.objects.create(project=self.project, kind=ChannelKind.WEBHOOK)
        self.foreign = Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)

    def new_check(self) -> Check:
        return Check.objects.get(project=self.project, slug="web-01")

    @time_machine.travel(NOW, tick=False)
    def test_it_creates_the_check_and_answers_201(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY}/web-01?create=1")
        self.assert_text(r, 201, "Created")
        self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertEqual(r["Ping-Body-Limit"], "10000")
        directives = {d.strip() for d in r["Cache-Control"].split(",")}
        self.assertTrue({"no-cache", "no-store", "must-revalidate", "private"} <= directives)
        self.assertTrue(r.has_header("Expires"))

        check = self.new_check()
        self.assertEqual(check.name, "web-01")
        self.assertEqual(check.slug, "web-01")
        self.assertEqual(check.kind, CheckKind.SIMPLE)
        self.assertEqual(check.timeout, timedelta(days=1))
        self.assertEqual(check.grace, timedelta(hours=1))
        self.assertEqual(check.status, CheckStatus.UP)
        self.assertEqual(check.last_ping, NOW)
        self.assertEqual(check.n_pings, 1)
        self.assertEqual(
            set(check.channel_set.all()), {self.email, self.webhook}
        )  # every channel of the project, none of another project's
        self.assertEqual(self.only_ping(check).kind, PingKind.SUCCESS)

    @time_machine.travel(NOW, tick=False)
    def test_it_creates_and_starts_the_check(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY}/web-01/start?create=1")
        self.assert_text(r, 201, "Created")
        check = self.new_check()
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(check.last_start, NOW)
        self.assertEqual(self.only_ping(check).kind, PingKind.START)

    def test_it_answers_200_once_the_check_exists(self) -> None:
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-01?create=1"), 201, "Created")
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-01?create=1"), 200, "OK")
        self.assertEqual(len(self.pings(self.new_check())), 2)

    def test_it_creates_on_every_action(self) -> None:
        cases = [("/fail", PingKind.FAIL), ("/log", PingKind.LOG), ("/3", PingKind.FAIL)]
        for suffix, kind in cases:
            with self.subTest(suffix=suffix):
                slug = "job" + suffix.replace("/", "-")
                r = self.client.post(f"/ping/{PING_KEY}/{slug}{suffix}?create=1")
                self.assert_text(r, 201, "Created")
                check = Check.objects.get(slug=slug)
                self.assertEqual(self.only_ping(check).kind, kind)

    def test_it_only_creates_when_create_is_exactly_1(self) -> None:
        for value in ["true", "yes", "0", "", "01", "1 ", "TRUE"]:
            with self.subTest(value=value):
                r = self.client.get(f"/ping/{PING_KEY}/web-01?create={value}")
                self.assert_text(r, 404, "not found")
        self.assertFalse(Check.objects.filter(slug="web-01").exists())

    def test_it_does_not_create_for_an_unknown_key(self) -> None:
        r = self.client.get("/ping/unknownkey0123456789ab/web-01?create=1")
        self.assert_text(r, 404, "not found")
        self.assert_no_checks_created()

    def test_it_does_not_create_for_a_key_in_another_letter_case(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY.upper()}/web-01?create=1")
        self.assert_text(r, 404, "not found")
        self.assert_no_checks_created()

    def test_it_does_not_create_for_a_project_without_ping_key(self) -> None:
        self.assertIsNone(self.charlies_project.ping_key)
        r = self.client.get("/ping/None/web-01?create=1")
        self.assert_text(r, 404, "not found")
        self.assert_no_checks_created()

    def test_create_is_ignored_on_uuid_urls(self) -> None:
        r = self.client.get(f"/ping/{uuid.uuid4()}?create=1")
        self.assert_text(r, 404, "not found")
        self.assert_no_checks_created()

    def fill_up(self, total: int) -> None:
        """Give Alice `total` checks, spread over two of her projects."""
        second = Project.objects.create(owner=self.alice, badge_key="second")
        existing = Check.objects.filter(project__owner=self.alice).count()
        Check.objects.bulk_create(
            Check(project=second if i % 2 else self.project, name=f"c{i}")
            for i in range(total - existing)
        )
        # Checks of other owners (and of projects Alice merely belongs to) do not count.
        Check.objects.bulk_create(Check(project=self.charlies_project) for _ in range(5))

    def set_check_limit(self, limit: int) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=limit)
        # A member's limit must not matter.
        Profile.objects.filter(user=self.bob).update(check_limit=0)

    def test_it_may_exceed_the_check_limit_up_to_twice(self) -> None:
        self.set_check_limit(20)
        self.fill_up(39)
        r = self.client.get(f"/ping/{PING_KEY}/web-01?create=1")
        self.assert_text(r, 201, "Created")
        self.assertEqual(Check.objects.filter(project__owner=self.alice).count(), 40)

    def test_it_refuses_at_twice_the_check_limit(self) -> None:
        self.set_check_limit(20)
        self.fill_up(40)
        r = self.client.get(f"/ping/{PING_KEY}/web-01?create=1")
        self.assert_text(r, 404, "not found")
        self.assertFalse(Check.objects.filter(slug="web-01").exists())
        self.assertEqual(Check.objects.filter(project__owner=self.alice).count(), 40)
        self.assertFalse(Ping.objects.exists())

    def test_the_limit_does_not_stop_pings_to_existing_checks(self) -> None:
        self.set_check_limit(0)
        self.assert_text(self.client.get(self.url + "?create=1"), 200, "OK")
        self.assertEqual(self.only_ping().kind, PingKind.SUCCESS)

    def test_it_keeps_the_created_check_when_the_rid_is_bad(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY}/web-01?create=1&rid=42")
        self.assert_text(r, 400, "invalid uuid format")
        check = self.new_check()
        self.assertEqual(check.n_pings, 0)
        self.assertEqual(check.status, CheckStatus.NEW)
        self.assertEqual(self.pings(check), [])

        # The check exists now, so the next ping is a plain 200, not a 201.
        self.assert_text(self.client.get(f"/ping/{PING_KEY}/web-01?create=1"), 200, "OK")
        self.assertEqual(self.only_ping(check).kind, PingKind.SUCCESS)
        self.assertEqual(Check.objects.filter(slug="web-01").count(), 1)

    def test_it_keeps_the_created_check_when_the_exit_status_is_bad(self) -> None:
        r = self.client.get(f"/ping/{PING_KEY}/web-01/256?create=1")
        self.assert_text(r, 400, "invalid url format")
        self.assertEqual(self.pings(self.new_check()), [])

    def test_it_creates_the_check_with_default_settings(self) -> None:
        # Every other setting is at its default: no filtering, any method accepted.
        self.client.post(f"/ping/{PING_KEY}/web-01?create=1", "ERROR", content_type="text/plain")
        check = self.new_check()
        self.assertFalse(check.filter_http_body)
        self.assertEqual(check.methods, "")
        self.assertFalse(check.manual_resume)
        self.assertEqual(check.tags, "")
        self.assertEqual(self.only_ping(check).kind, PingKind.SUCCESS)
