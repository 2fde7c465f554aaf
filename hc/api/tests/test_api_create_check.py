"""POST /api/vN/checks/ (management-api §6.3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.test import SimpleTestCase

from hc.accounts.models import Profile
from hc.api.models import Channel, ChannelKind, Check, CheckKind, CheckStatus
from hc.api.schemas import CheckBody, parse_check_body
from hc.api.tests.api_checks_helpers import FULL_FIELDS, VERSIONS, ChecksApiTestCase
from hc.lib.timezones import canonical_zone

NOW = datetime(2026, 5, 2, 12, 0, 0, tzinfo=UTC)

# (body, error message): one row per problem and field type (§6.3.2).
INVALID: list[tuple[dict[str, Any], str]] = [
    ({"name": 5}, "name is not a string"),
    ({"name": None}, "name is not a string"),
    ({"name": ["x"]}, "name is not a string"),
    ({"name": "x" * 101}, "name is too long"),
    ({"slug": "x" * 101}, "slug is too long"),
    ({"slug": "Nightly"}, "slug does not match pattern"),
    ({"slug": "a b"}, "slug does not match pattern"),
    ({"slug": "abc\n"}, "slug does not match pattern"),
    ({"tags": "x" * 501}, "tags is too long"),
    ({"tags": None}, "tags is not a string"),
    ({"desc": 1.5}, "desc is not a string"),
    ({"desc": None}, "desc is not a string"),
    ({"timeout": 30}, "timeout is too small"),
    ({"timeout": 59}, "timeout is too small"),
    ({"timeout": -10}, "timeout is too small"),
    ({"timeout": 31536001}, "timeout is too large"),
    ({"timeout": 10**30}, "timeout is too large"),
    ({"timeout": -(10**30)}, "timeout is too small"),
    ({"timeout": True}, "timeout is too small"),
    ({"timeout": False}, "timeout is too small"),
    ({"timeout": 3600.0}, "timeout is not a number"),
    ({"timeout": "3600"}, "timeout is not a number"),
    ({"timeout": None}, "timeout is not a number"),
    ({"timeout": [3600]}, "timeout is not a number"),
    ({"grace": 59}, "grace is too small"),
    ({"grace": 31536001}, "grace is too large"),
    ({"grace": 10**100}, "grace is too large"),
    ({"grace": True}, "grace is too small"),
    ({"grace": 60.5}, "grace is not a number"),
    ({"grace": None}, "grace is not a number"),
    ({"schedule": ""}, "schedule is not a valid cron or OnCalendar expression"),
    ({"schedule": "0 0 31 2 *"}, "schedule is not a valid cron or OnCalendar expression"),
    ({"schedule": "* * * * * *"}, "schedule is not a valid cron or OnCalendar expression"),
    ({"schedule": "@daily"}, "schedule is not a valid cron or OnCalendar expression"),
    ({"schedule": "Mon..Fri 25:00"}, "schedule is not a valid cron or OnCalendar expression"),
    ({"schedule": "0 " * 50 + "0"}, "schedule is too long"),
    ({"schedule": None}, "schedule is not a string"),
    ({"schedule": 5}, "schedule is not a string"),
    ({"tz": "Mars/Olympus"}, "tz is not a valid timezone"),
    ({"tz": "utc"}, "tz is not a valid timezone"),
    ({"tz": ""}, "tz is not a valid timezone"),
    ({"tz": "Europe/Riga" + "x" * 40}, "tz is not a valid timezone"),
    ({"tz": None}, "tz is not a string"),
    ({"manual_resume": 1}, "manual_resume is not a boolean"),
    ({"manual_resume": "true"}, "manual_resume is not a boolean"),
    ({"manual_resume": None}, "manual_resume is not a boolean"),
    ({"methods": "GET"}, "methods has unexpected value"),
    ({"methods": "post"}, "methods has unexpected value"),
    ({"methods": 1}, "methods is not a string"),
    ({"methods": None}, "methods is not a string"),
    ({"channels": None}, "channels is not a string"),
    ({"channels": ["*"]}, "channels is not a string"),
    ({"start_kw": "x" * 201}, "start_kw is too long"),
    ({"success_kw": "x" * 201}, "success_kw is too long"),
    ({"failure_kw": "x" * 201}, "failure_kw is too long"),
    ({"subject": "x" * 201}, "subject is too long"),
    ({"subject_fail": "x" * 201}, "subject_fail is too long"),
    ({"start_kw": 1}, "start_kw is not a string"),
    ({"success_kw": None}, "success_kw is not a string"),
    ({"failure_kw": False}, "failure_kw is not a string"),
    ({"subject": None}, "subject is not a string"),
    ({"subject_fail": 0}, "subject_fail is not a string"),
    ({"filter_subject": 0}, "filter_subject is not a boolean"),
    ({"filter_body": 1}, "filter_body is not a boolean"),
    ({"filter_http_body": "false"}, "filter_http_body is not a boolean"),
    ({"filter_default_fail": None}, "filter_default_fail is not a boolean"),
    ({"unique": "name"}, "unique is not an array"),
    ({"unique": None}, "unique is not an array"),
    ({"unique": {"name": 1}}, "unique is not an array"),
    ({"unique": ["status"]}, "an item in 'unique' has unexpected value"),
    ({"unique": ["name", 1]}, "an item in 'unique' has unexpected value"),
    ({"unique": [None]}, "an item in 'unique' has unexpected value"),
    ({"unique": [["name"]]}, "an item in 'unique' has unexpected value"),
    ({"unique": ["Name"]}, "an item in 'unique' has unexpected value"),
    # Divergence: strings the databases cannot store.
    ({"name": "a\x00b"}, "name contains invalid characters"),
    ({"desc": "\ud800"}, "desc contains invalid characters"),
    ({"tags": "\udfff x"}, "tags contains invalid characters"),
]

# The first failing field in the contract's order is the one reported.
ORDERED: list[tuple[dict[str, Any], str]] = [
    ({"name": "x", "grace": 1, "timeout": 1}, "grace is too small"),
    ({"unique": 1, "tz": 1, "timeout": 1, "channels": 1}, "channels is not a string"),
    ({"desc": 1, "failure_kw": 1}, "desc is not a string"),
    ({"failure_kw": 1, "filter_subject": 1}, "failure_kw is not a string"),
    ({"filter_subject": 1, "filter_body": 1}, "filter_subject is not a boolean"),
    ({"filter_body": 1, "filter_http_body": 1}, "filter_body is not a boolean"),
    ({"filter_http_body": 1, "filter_default_fail": 1}, "filter_http_body is not a boolean"),
    ({"filter_default_fail": 1, "grace": 1}, "filter_default_fail is not a boolean"),
    ({"grace": 1, "manual_resume": 1}, "grace is too small"),
    ({"manual_resume": 1, "methods": 1}, "manual_resume is not a boolean"),
    ({"methods": 1, "name": 1}, "methods is not a string"),
    ({"name": 1, "schedule": 1}, "name is not a string"),
    ({"schedule": 1, "slug": 1}, "schedule is not a string"),
    ({"slug": 1, "start_kw": 1}, "slug is not a string"),
    ({"start_kw": 1, "subject": 1}, "start_kw is not a string"),
    ({"subject": 1, "subject_fail": 1}, "subject is not a string"),
    ({"subject_fail": 1, "success_kw": 1}, "subject_fail is not a string"),
    ({"success_kw": 1, "tags": 1}, "success_kw is not a string"),
    ({"tags": 1, "timeout": 1}, "tags is not a string"),
    ({"timeout": 1, "tz": 1}, "timeout is too small"),
    ({"tz": 1, "unique": 1}, "tz is not a string"),
    ({"unique": ["x"], "api_key": None}, "an item in 'unique' has unexpected value"),
]


@time_machine.travel(NOW, tick=False)
class CreateCheckTestCase(ChecksApiTestCase):
    def create(self, body: Any, version: int = 3, status: int = 201) -> dict[str, Any]:
        r = self.post("checks/", body, version=version)
        self.assertEqual(r.status_code, status, r.content)
        data: dict[str, Any] = self.json(r)
        return data

    def only_check(self) -> Check:
        return Check.objects.get(project=self.project)

    def test_an_empty_object_creates_a_check_with_defaults(self) -> None:
        data = self.create({})
        check = self.only_check()
        self.assertEqual(list(data), FULL_FIELDS)
        self.assertEqual(data["uuid"], str(check.code))
        for field, value in (
            ("name", ""),
            ("slug", ""),
            ("tags", ""),
            ("desc", ""),
            ("timeout", 86400),
            ("grace", 3600),
            ("status", "new"),
            ("n_pings", 0),
            ("last_ping", None),
            ("next_ping", None),
            ("manual_resume", False),
            ("methods", ""),
            ("channels", ""),
        ):
            self.assertEqual(data[field], value, field)
        self.assertEqual(check.kind, CheckKind.SIMPLE)
        self.assertEqual(check.tz, "UTC")
        self.assertIsNone(check.alert_after)
        self.assertEqual(check.status, CheckStatus.NEW)

    def test_an_empty_body_creates_a_check_with_defaults(self) -> None:
        self.create(None)
        self.assertEqual(self.only_check().timeout, timedelta(days=1))

    def test_it_creates_the_check_in_the_keys_project(self) -> None:
        r = self.post("checks/", {"name": "Charlie's"}, key=self.charlies_key)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Check.objects.get().project, self.charlies_project)

    def test_it_sets_every_field(self) -> None:
        body = {
            "name": "Invoice export",
            "slug": "invoice-export",
            "tags": "billing prod",
            "desc": "Exports invoices",
            "timeout": 3600,
            "grace": 300,
            "manual_resume": True,
            "methods": "POST",
            "start_kw": "START",
            "success_kw": "OK",
            "failure_kw": "FAIL",
            "filter_subject": True,
            "filter_body": True,
            "filter_http_body": True,
            "filter_default_fail": True,
        }
        data = self.create(body)
        for field, value in body.items():
            self.assertEqual(data[field], value, field)
        self.assertEqual((data["subject"], data["subject_fail"]), ("OK", "FAIL"))
        check = self.only_check()
        self.assertEqual(check.timeout, timedelta(hours=1))
        self.assertEqual(check.grace, timedelta(minutes=5))
        self.assertTrue(check.manual_resume)
        self.assertEqual(check.methods, "POST")

    def test_it_accepts_the_largest_and_smallest_durations(self) -> None:
        data = self.create({"timeout": 60, "grace": 31536000})
        self.assertEqual((data["timeout"], data["grace"]), (60, 31536000))

    def test_v1_and_v2_derive_the_slug_from_the_name(self) -> None:
        for version in (1, 2):
            with self.subTest(version=version):
                data = self.create({"name": "Nightly DB Dump"}, version=version)
                self.assertEqual(data["slug"], "nightly-db-dump")
                self.assertIn(f"/api/v{version}/checks/", data["update_url"])

    def test_v3_leaves_the_slug_alone(self) -> None:
        self.assertEqual(self.create({"name": "Nightly DB Dump"})["slug"], "")

    def test_slugify_drops_non_ascii_and_punctuation(self) -> None:
        for name, slug in (
            ("Backups (prod) — daily!", "backups-prod-daily"),
            ("Ångström 2.0", "angstrom-20"),
        ):
            with self.subTest(name=name):
                self.assertEqual(self.create({"name": name}, version=1)["slug"], slug)

    def test_a_derived_slug_is_cut_to_the_column_length(self) -> None:
        # Each ligature expands to three letters under NFKD normalisation.
        data = self.create({"name": "\ufb03" * 100}, version=1)
        self.assertEqual(data["slug"], "ffi" * 33 + "f")
        self.assertEqual(self.only_check().slug, "ffi" * 33 + "f")

    def test_an_explicit_slug_wins_over_the_name(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                data = self.create({"name": "Nightly", "slug": "custom"}, version=version)
                self.assertEqual(data["slug"], "custom")

    def test_an_empty_slug_is_allowed(self) -> None:
        self.assertEqual(self.create({"name": "Nightly", "slug": ""}, version=1)["slug"], "")

    def test_a_cron_schedule_makes_a_cron_check(self) -> None:
        data = self.create({"schedule": "*/15 * * * *", "tz": "Europe/Kiev"})
        self.assertNotIn("timeout", data)
        self.assertEqual((data["schedule"], data["tz"]), ("*/15 * * * *", "Europe/Kyiv"))
        check = self.only_check()
        self.assertEqual((check.kind, check.tz), (CheckKind.CRON, "Europe/Kyiv"))

    def test_an_oncalendar_schedule_wins_over_timeout(self) -> None:
        data = self.create({"schedule": "Mon..Fri 09:00", "timeout": 600})
        self.assertEqual(data["schedule"], "Mon..Fri 09:00")
        check = self.only_check()
        self.assertEqual(check.kind, CheckKind.ONCALENDAR)
        self.assertEqual(check.timeout, timedelta(days=1))

    def test_a_multi_line_oncalendar_schedule_is_accepted(self) -> None:
        self.create({"schedule": "Mon 09:00\nFri 17:00 Europe/Riga"})
        self.assertEqual(self.only_check().kind, CheckKind.ONCALENDAR)

    def test_cron_extensions_are_accepted(self) -> None:
        for schedule in (
            "0 0 L * *",
            "0 0 * * 5L",
            "0 9 * * MON#1",
            "0 0 LW * *",
            "0 9 * JAN-MAR SUN",
        ):
            with self.subTest(schedule=schedule):
                self.assertEqual(self.create({"schedule": schedule})["schedule"], schedule)

    def test_tz_aliases_become_canonical(self) -> None:
        for alias, zone in (
            ("Europe/Kiev", "Europe/Kyiv"),
            ("US/Eastern", "America/New_York"),
            ("Asia/Calcutta", "Asia/Kolkata"),
        ):
            with self.subTest(alias=alias):
                data = self.create({"schedule": "0 0 * * *", "tz": alias})
                self.assertEqual(data["tz"], zone)

    def test_utc_names_are_accepted(self) -> None:
        for name in ("UTC", "Etc/UTC", "UCT", "GMT"):
            with self.subTest(name=name):
                data = self.create({"schedule": "0 0 * * *", "tz": name})
                self.assertEqual(data["tz"], canonical_zone(name))

    def test_a_tz_without_schedule_is_stored(self) -> None:
        data = self.create({"tz": "Europe/Riga"})
        self.assertEqual(data["timeout"], 86400)
        self.assertNotIn("tz", data)
        self.assertEqual(self.only_check().tz, "Europe/Riga")

    def test_the_healthchecks_io_client_body_is_accepted(self) -> None:
        body = {
            "name": "client",
            "tags": "a b",
            "desc": "",
            "timeout": 86400,
            "grace": 3600,
            "tz": "UTC",
            "manual_resume": False,
            "methods": "",
            "unique": [],
        }
        data = self.create(body, version=1)
        self.assertEqual(data["slug"], "client")
        self.assertTrue(data["ping_url"].endswith(data["uuid"]))

    def test_the_go_client_body_is_accepted(self) -> None:
        data = self.create({"name": "tf", "timeout": 600, "channels": "", "methods": ""}, 1)
        self.assertEqual(data["channels"], "")

    def test_legacy_subject_fields_set_keywords_and_filtering(self) -> None:
        data = self.create({"subject": "SUCCESS", "subject_fail": "ERROR"})
        self.assertEqual((data["success_kw"], data["failure_kw"]), ("SUCCESS", "ERROR"))
        self.assertTrue(data["filter_subject"])
        self.assertEqual((data["subject"], data["subject_fail"]), ("SUCCESS", "ERROR"))

    def test_empty_legacy_subjects_turn_filtering_off(self) -> None:
        data = self.create({"subject": "", "subject_fail": "", "filter_subject": True})
        # The explicit filter_subject is applied after the legacy fields.
        self.assertTrue(data["filter_subject"])
        data = self.create({"subject": "", "subject_fail": ""})
        self.assertFalse(data["filter_subject"])

    def test_explicit_keywords_win_over_legacy_subjects(self) -> None:
        data = self.create({"subject": "A", "success_kw": "B", "filter_subject": False})
        self.assertEqual(data["success_kw"], "B")
        self.assertFalse(data["filter_subject"])
        self.assertEqual(data["subject"], "")

    def test_unknown_members_are_ignored(self) -> None:
        data = self.create({"name": "x", "status": "down", "n_pings": 5, "uuid": "nope"})
        self.assertEqual((data["status"], data["n_pings"]), ("new", 0))

    def test_it_rejects_invalid_fields(self) -> None:
        for body, message in INVALID:
            with self.subTest(body=str(body)[:60]):
                r = self.post("checks/", body)
                self.assert_error(r, 400, f"json validation error: {message}")
        self.assertFalse(Check.objects.exists())

    def test_it_reports_the_first_invalid_field_in_contract_order(self) -> None:
        for body, message in ORDERED:
            with self.subTest(body=body):
                r = self.post("checks/", body)
                self.assert_error(r, 400, f"json validation error: {message}")

    def test_validation_is_the_same_in_every_version(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.post("checks/", {"timeout": 30}, version=version)
                self.assert_error(r, 400, "json validation error: timeout is too small")

    def test_an_astronomically_large_integer_is_too_large(self) -> None:
        r = self.post("checks/", '{"timeout": 1' + "0" * 4000 + "}")
        self.assert_error(r, 400, "json validation error: timeout is too large")

    def test_an_integer_too_long_to_parse_is_a_parse_error(self) -> None:
        r = self.post("checks/", '{"timeout": 1' + "0" * 5000 + "}")
        self.assert_error(r, 400, "could not parse request body")

    def test_infinity_and_nan_are_not_numbers(self) -> None:
        for literal in ("Infinity", "-Infinity", "NaN", "1e400"):
            with self.subTest(literal=literal):
                r = self.post("checks/", f'{{"grace": {literal}}}')
                self.assert_error(r, 400, "json validation error: grace is not a number")

    def test_invalid_json_is_rejected(self) -> None:
        for body in ("not json", "{", '{"name": }', b"\xff\xfe", "{'name': 'x'}"):
            with self.subTest(body=body):
                self.assert_error(self.post("checks/", body), 400, "could not parse request body")

    def test_json_that_is_not_an_object_is_rejected(self) -> None:
        for body in ("[1, 2]", '"name"', "5", "null", "true"):
            with self.subTest(body=body):
                r = self.post("checks/", body)
                self.assert_error(r, 400, "json validation error: value is not an object")

    def test_deeply_nested_json_is_rejected_cleanly(self) -> None:
        for depth in (100, 10_000, 100_000):
            with self.subTest(depth=depth):
                body = '{"unique": ' + "[" * depth + "]" * depth + "}"
                r = self.post("checks/", body)
                self.assertEqual(r.status_code, 400)
                self.assertIn("error", self.json(r))
        self.assertFalse(Check.objects.exists())

    def test_deeply_nested_unknown_members_are_ignored(self) -> None:
        body = '{"extra": ' + "[" * 500 + "]" * 500 + "}"
        self.assertEqual(self.post("checks/", body).status_code, 201)

    def test_the_content_type_does_not_matter(self) -> None:
        for content_type in ("application/x-www-form-urlencoded", "text/plain", ""):
            with self.subTest(content_type=content_type):
                r = self.post("checks/", {"name": content_type}, content_type=content_type)
                self.assertEqual(r.status_code, 201)
                self.assertEqual(self.json(r)["name"], content_type)

    def test_a_form_encoded_body_is_not_read_as_a_form(self) -> None:
        r = self.post(
            "checks/", "name=x&timeout=60", content_type="application/x-www-form-urlencoded"
        )
        self.assert_error(r, 400, "could not parse request body")

    def test_a_body_over_the_size_limit_is_refused(self) -> None:
        body = json.dumps({"desc": "x" * 2_621_440})
        self.assertEqual(self.post("checks/", body).status_code, 400)
        self.assertFalse(Check.objects.exists())

    def test_a_read_only_key_cannot_create(self) -> None:
        for version in VERSIONS:
            with self.subTest(version=version):
                r = self.post("checks/", {"name": "x"}, key=self.read_key, version=version)
                self.assert_error(r, 401, "wrong api key")
        self.assertFalse(Check.objects.exists())

    def test_the_key_may_be_in_the_body(self) -> None:
        r = self.client.post(
            "/api/v3/checks/", {"api_key": self.write_key, "name": "x"}, "application/json"
        )
        self.assertEqual(r.status_code, 201)

    def test_parse_errors_come_before_authentication(self) -> None:
        r = self.client.post("/api/v3/checks/", "nope", "application/json")
        self.assert_error(r, 400, "could not parse request body")

    def test_validation_comes_after_authentication(self) -> None:
        r = self.client.post("/api/v3/checks/", {"timeout": 1}, "application/json")
        self.assert_error(r, 401, "missing api key")


@time_machine.travel(NOW, tick=False)
class CreateWithChannelsTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.email = Channel.objects.create(
            project=self.project, kind=ChannelKind.EMAIL, name="Ops Email"
        )
        self.slack = Channel.objects.create(
            project=self.project, kind=ChannelKind.SLACK, name="Ops Slack"
        )
        self.foreign = Channel.objects.create(
            project=self.charlies_project, kind=ChannelKind.EMAIL, name="Charlie's"
        )

    def create(self, channels: str) -> Any:
        return self.post("checks/", {"name": "x", "channels": channels})

    def assigned(self) -> set[Channel]:
        return set(Check.objects.get().channel_set.all())

    def test_without_channels_none_are_assigned(self) -> None:
        self.assertEqual(self.post("checks/", {}).status_code, 201)
        self.assertEqual(self.assigned(), set())

    def test_a_star_assigns_every_channel_of_the_project(self) -> None:
        r = self.create("*")
        self.assertEqual(r.status_code, 201)
        self.assertEqual(self.assigned(), {self.email, self.slack})
        expected = ",".join(sorted([str(self.email.code), str(self.slack.code)]))
        self.assertEqual(self.json(r)["channels"], expected)

    def test_an_empty_string_assigns_none(self) -> None:
        self.assertEqual(self.create("").status_code, 201)
        self.assertEqual(self.assigned(), set())

    def test_channels_can_be_named_by_uuid_or_name(self) -> None:
        r = self.create(f"{self.email.code},Ops Slack")
        self.assertEqual(r.status_code, 201)
        self.assertEqual(self.assigned(), {self.email, self.slack})

    def test_repeated_channels_are_assigned_once(self) -> None:
        self.assertEqual(self.create(f"Ops Email,{self.email.code},Ops Email").status_code, 201)
        self.assertEqual(self.assigned(), {self.email})

    def test_an_empty_identifier_is_rejected(self) -> None:
        for channels in ("Ops Slack,", ",", "Ops Slack,,Ops Email", ",Ops Slack"):
            with self.subTest(channels=channels):
                self.assert_error(self.create(channels), 400, "empty channel identifier")
        self.assertFalse(Check.objects.exists())

    def test_an_unknown_identifier_is_rejected(self) -> None:
        for token in ("Nope", "ops slack", " Ops Slack", "Ops Slack ", str(self.foreign.code)):
            with self.subTest(token=token):
                r = self.create(f"Ops Email,{token}")
                self.assert_error(r, 400, f"invalid channel identifier: {token}")
        self.assertFalse(Check.objects.exists())

    def test_an_uppercase_uuid_is_not_an_identifier(self) -> None:
        token = str(self.email.code).upper()
        self.assert_error(self.create(token), 400, f"invalid channel identifier: {token}")

    def test_an_ambiguous_name_is_rejected(self) -> None:
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL, name="Ops Slack")
        r = self.create("Ops Slack")
        self.assert_error(r, 400, "non-unique channel identifier: Ops Slack")
        self.assertFalse(Check.objects.exists())

    def test_a_name_that_is_another_channels_uuid_is_ambiguous(self) -> None:
        Channel.objects.create(
            project=self.project, kind=ChannelKind.EMAIL, name=str(self.email.code)
        )
        r = self.create(str(self.email.code))
        self.assert_error(r, 400, f"non-unique channel identifier: {self.email.code}")

    def test_a_channel_named_after_its_own_uuid_is_not_ambiguous(self) -> None:
        self.email.name = str(self.email.code)
        self.email.save()
        self.assertEqual(self.create(str(self.email.code)).status_code, 201)

    def test_names_of_another_project_are_not_identifiers(self) -> None:
        self.assert_error(self.create("Charlie's"), 400, "invalid channel identifier: Charlie's")

    def test_a_star_in_a_list_is_a_name(self) -> None:
        self.assert_error(self.create("*,Ops Slack"), 400, "invalid channel identifier: *")


@time_machine.travel(NOW, tick=False)
class UpsertTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.existing = Check.objects.create(
            project=self.project,
            name="Backup",
            slug="backup",
            tags="prod",
            timeout=timedelta(hours=1),
            grace=timedelta(minutes=5),
            created=NOW - timedelta(days=1),
        )

    def test_a_match_on_every_unique_field_updates_the_existing_check(self) -> None:
        body = {"name": "Backup", "unique": ["name"], "tags": "prod db", "grace": 600}
        r = self.post("checks/", body)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.json(r)["uuid"], str(self.existing.code))
        self.assertEqual(Check.objects.count(), 1)
        check = self.reload(self.existing)
        self.assertEqual((check.tags, check.grace), ("prod db", timedelta(minutes=10)))

    def test_each_unique_field_can_match(self) -> None:
        for body in (
            {"name": "Backup", "unique": ["name"]},
            {"slug": "backup", "unique": ["slug"]},
            {"tags": "prod", "unique": ["tags"]},
            {"timeout": 3600, "unique": ["timeout"]},
            {"grace": 300, "unique": ["grace"]},
            {
                "name": "Backup",
                "slug": "backup",
                "timeout": 3600,
                "unique": ["name", "slug", "timeout"],
            },
        ):
            with self.subTest(body=body):
                r = self.post("checks/", body)
                self.assertEqual(r.status_code, 200)
                self.assertEqual(self.json(r)["uuid"], str(self.existing.code))

    def test_every_named_field_must_match(self) -> None:
        r = self.post("checks/", {"name": "Backup", "tags": "dev", "unique": ["name", "tags"]})
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Check.objects.count(), 2)

    def test_string_matches_are_exact(self) -> None:
        for name in ("backup", "BACKUP", "Backup ", "Bäckup"):
            with self.subTest(name=name):
                r = self.post("checks/", {"name": name, "unique": ["name"]})
                self.assertEqual(r.status_code, 201)

    def test_a_named_field_absent_from_the_request_means_no_lookup(self) -> None:
        r = self.post("checks/", {"name": "Backup", "unique": ["name", "tags"]})
        self.assertEqual(r.status_code, 201)

    def test_an_empty_unique_list_always_creates(self) -> None:
        r = self.post("checks/", {"name": "Backup", "unique": []})
        self.assertEqual(r.status_code, 201)

    def test_the_oldest_of_several_matches_is_updated(self) -> None:
        Check.objects.create(project=self.project, name="Backup", created=NOW)
        r = self.post("checks/", {"name": "Backup", "unique": ["name"], "desc": "oldest"})
        self.assertEqual(self.json(r)["uuid"], str(self.existing.code))
        self.assertEqual(self.reload(self.existing).desc, "oldest")

    def test_timeout_is_compared_even_for_a_cron_check(self) -> None:
        Check.objects.filter(id=self.existing.id).update(kind=CheckKind.CRON)
        r = self.post("checks/", {"timeout": 3600, "unique": ["timeout"]})
        self.assertEqual(r.status_code, 200)
        # The request's timeout then makes it a simple check.
        self.assertEqual(self.reload(self.existing).kind, CheckKind.SIMPLE)

    def test_checks_of_other_projects_do_not_match(self) -> None:
        r = self.post("checks/", {"name": "Backup", "unique": ["name"]}, key=self.charlies_key)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(Check.objects.get(name="Backup", project=self.charlies_project).slug, "")

    def test_v1_upsert_applies_name_and_slug_like_an_update(self) -> None:
        r = self.post("checks/", {"name": "Backup", "unique": ["name"]}, version=1)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.json(r)["slug"], "backup")
        self.assertIn("/api/v1/", self.json(r)["update_url"])

    def test_a_match_does_not_consult_the_check_limit(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        r = self.post("checks/", {"name": "Backup", "unique": ["name"]})
        self.assertEqual(r.status_code, 200)

    def test_channel_errors_on_a_match_leave_it_unchanged(self) -> None:
        r = self.post(
            "checks/", {"name": "Backup", "unique": ["name"], "desc": "x", "channels": "nope"}
        )
        self.assert_error(r, 400, "invalid channel identifier: nope")
        self.assertEqual(self.reload(self.existing).desc, "")


@time_machine.travel(NOW, tick=False)
class CheckLimitTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        Profile.objects.filter(user=self.alice).update(check_limit=2)
        Check.objects.create(project=self.project)

    def test_it_creates_while_allowance_remains(self) -> None:
        self.assertEqual(self.post("checks/", {}).status_code, 201)
        self.assert_empty(self.post("checks/", {}), 403)
        self.assertEqual(Check.objects.filter(project=self.project).count(), 2)

    def test_checks_in_all_the_owners_projects_count(self) -> None:
        self.charlies_project.owner = self.alice
        self.charlies_project.save()
        Check.objects.create(project=self.charlies_project)
        self.assert_empty(self.post("checks/", {}), 403)
        self.assert_empty(self.post("checks/", {}, key=self.charlies_key), 403)

    def test_the_owners_limit_applies_whoever_holds_the_key(self) -> None:
        Profile.objects.filter(user=self.charlie).update(check_limit=0)
        self.assertEqual(self.post("checks/", {}).status_code, 201)

    def test_a_limit_below_the_count_is_reached(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=0)
        self.assert_empty(self.post("checks/", {}), 403)

    def test_the_limit_comes_before_channel_errors(self) -> None:
        Check.objects.create(project=self.project)
        self.assert_empty(self.post("checks/", {"channels": "nope"}), 403)

    def test_every_version_answers_403(self) -> None:
        Check.objects.create(project=self.project)
        for version in VERSIONS:
            with self.subTest(version=version):
                self.assert_empty(self.post("checks/", {}, version=version), 403)


class SchemaTestCase(SimpleTestCase):
    """The request schema that the OpenAPI document is generated from."""

    def test_fields_are_declared_in_the_order_errors_are_reported(self) -> None:
        self.assertEqual(
            list(CheckBody.model_fields),
            [
                "channels",
                "desc",
                "failure_kw",
                "filter_subject",
                "filter_body",
                "filter_http_body",
                "filter_default_fail",
                "grace",
                "manual_resume",
                "methods",
                "name",
                "schedule",
                "slug",
                "start_kw",
                "subject",
                "subject_fail",
                "success_kw",
                "tags",
                "timeout",
                "tz",
                "unique",
            ],
        )

    def test_the_json_schema_carries_the_limits(self) -> None:
        props = CheckBody.model_json_schema()["properties"]
        for name in ("timeout", "grace"):
            self.assertEqual(props[name]["type"], "integer")
            self.assertEqual((props[name]["minimum"], props[name]["maximum"]), (60, 31536000))
        self.assertEqual(props["slug"]["pattern"], "^[a-z0-9_-]*$")
        self.assertEqual(props["methods"]["enum"], ["", "POST"])
        self.assertEqual(props["tags"]["maxLength"], 500)
        self.assertEqual(props["name"]["maxLength"], 100)
        self.assertEqual(
            props["unique"]["items"]["enum"], ["name", "slug", "tags", "timeout", "grace"]
        )

    def test_absent_fields_are_not_marked_as_set(self) -> None:
        body = parse_check_body({"name": "x", "api_key": "k"})
        assert isinstance(body, CheckBody)
        self.assertEqual(body.model_fields_set, {"name"})
