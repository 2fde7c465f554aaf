"""Public badges: /badge/<key>/<signature>[/<tag>].<fmt> and /b/<states>/<uuid>.<fmt>.

Spec management-api §8 (URL forms, states, formats, headers) and §5.3 (status).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from hc.api.models import Check, CheckStatus
from hc.lib.badges import badge_signature, badge_urls
from hc.test import BaseTestCase

SVG = "{http://www.w3.org/2000/svg}"


class BadgeTestCase(BaseTestCase):
    def make_check(self, state: str, tags: str = "", name: str = "", **fields: Any) -> Check:
        """A check whose computed status (§5.3) is `state`."""
        now = timezone.now()
        if state == "up":
            fields.update(status=CheckStatus.UP, last_ping=now)
        elif state == "grace":
            fields.update(status=CheckStatus.UP, last_ping=now - timedelta(days=1, minutes=30))
        elif state == "overdue":
            # Stored "up", but past timeout + grace: reported down before sendalerts runs.
            fields.update(status=CheckStatus.UP, last_ping=now - timedelta(days=2))
        else:
            fields.update(status=CheckStatus(state))
        project = fields.pop("project", self.project)
        return Check.objects.create(project=project, name=name, tags=tags, **fields)

    def url(self, tag: str, key: str, badge_key: str = "alice") -> str:
        return badge_urls(badge_key, tag)[key].removeprefix(settings.SITE_ROOT)

    def get_json(self, path: str) -> Any:
        r = self.client.get(path)
        self.assertEqual(r.status_code, 200)
        return self.json(r)

    def get_svg(self, path: str) -> ET.Element:
        r = self.client.get(path)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/svg+xml")
        return ET.fromstring(r.content)  # noqa: S314 (our own output)

    def svg_texts(self, root: ET.Element) -> list[str | None]:
        return [text.text for text in root.iter(f"{SVG}text")]


class ProjectBadgeUrlFormsTestCase(BadgeTestCase):
    def test_it_serves_a_tag_badge_in_every_format(self) -> None:
        self.make_check("up", tags="prod")
        root = self.get_svg(self.url("prod", "svg"))
        self.assertEqual(self.svg_texts(root), ["prod", "prod", "up", "up"])
        self.assertEqual(self.get_json(self.url("prod", "json"))["status"], "up")
        self.assertEqual(self.get_json(self.url("prod", "shields"))["message"], "up")

    def test_it_serves_the_all_checks_badge_without_a_tag_segment(self) -> None:
        self.make_check("down")
        signature = badge_signature("alice", "*")
        data = self.get_json(f"/badge/alice/{signature}.json")
        self.assertEqual(data, {"status": "down", "total": 1, "grace": 0, "down": 1})

    def test_a_signature_ending_in_dash_two_gives_a_two_state_badge(self) -> None:
        self.make_check("grace", tags="prod")
        signature = badge_signature("alice", "prod")
        self.assertEqual(self.get_json(f"/badge/alice/{signature}-2/prod.json")["status"], "up")
        self.assertEqual(self.get_json(f"/badge/alice/{signature}/prod.json")["status"], "late")

    def test_any_other_suffix_on_the_signature_gives_a_three_state_badge(self) -> None:
        self.make_check("grace", tags="prod")
        signature = badge_signature("alice", "prod")
        for suffix in ("-3", "-22", "xyz", "_2"):
            with self.subTest(suffix=suffix):
                path = f"/badge/alice/{signature}{suffix}/prod.json"
                self.assertEqual(self.get_json(path)["status"], "late")

    def test_tags_may_contain_dots(self) -> None:
        self.make_check("down", tags="a.b")
        self.assertEqual(
            self.url("a.b", "json3"), f"/badge/alice/{badge_signature('alice', 'a.b')}/a.b.json"
        )
        self.assertEqual(self.get_json(self.url("a.b", "json3"))["status"], "down")
        root = self.get_svg(self.url("a.b", "svg3"))
        self.assertEqual(self.svg_texts(root)[0], "a.b")

    def test_a_double_encoded_tag_is_decoded_twice(self) -> None:
        self.make_check("down", tags="db@dc1")
        path = self.url("db@dc1", "shields")
        self.assertIn("/db%2540dc1.shields", path)
        self.assertEqual(
            self.get_json(path),
            {"schemaVersion": 1, "label": "db@dc1", "message": "down", "color": "critical"},
        )

    def test_non_ascii_and_slashed_tags_round_trip(self) -> None:
        for tag in ("bücher", "team/ops", "50%"):
            with self.subTest(tag=tag):
                self.make_check("grace", tags=tag)
                self.assertEqual(self.get_json(self.url(tag, "shields3"))["label"], tag)

    def test_a_tag_encoded_only_once_is_not_found(self) -> None:
        signature = badge_signature("alice", "db@dc1")
        self.assertEqual(self.client.get(f"/badge/alice/{signature}/db%40dc1.svg").status_code, 404)


class ProjectBadgeNotFoundTestCase(BadgeTestCase):
    def assert_not_found(self, path: str) -> None:
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_wrong_signature_is_not_found(self) -> None:
        self.assert_not_found("/badge/alice/WRONGSIG/prod.svg")
        self.assert_not_found("/badge/alice/WRONGSIG-2.json")

    def test_a_signature_shorter_than_eight_characters_is_not_found(self) -> None:
        signature = badge_signature("alice", "prod")
        self.assert_not_found(f"/badge/alice/{signature[:7]}/prod.svg")

    def test_the_signature_of_another_tag_is_not_found(self) -> None:
        signature = badge_signature("alice", "prod")
        self.assert_not_found(f"/badge/alice/{signature}/staging.svg")
        self.assert_not_found(f"/badge/alice/{signature}.svg")

    def test_the_signature_of_another_project_is_not_found(self) -> None:
        signature = badge_signature("charlie", "prod")
        self.assert_not_found(f"/badge/alice/{signature}/prod.svg")

    def test_an_unknown_badge_key_is_not_found_even_when_signed(self) -> None:
        self.assert_not_found(self.url("prod", "svg", badge_key="nobody"))

    def test_an_unknown_format_is_not_found(self) -> None:
        signature = badge_signature("alice", "prod")
        self.assert_not_found(f"/badge/alice/{signature}/prod.png")
        self.assert_not_found(f"/badge/alice/{signature}/prod.SVG")
        self.assert_not_found(f"/badge/alice/{signature}/prod")


class ProjectBadgeStateTestCase(BadgeTestCase):
    def states(self, tag: str = "*") -> tuple[str, str]:
        """The 2-state and 3-state answers for the tag."""
        two = self.get_json(self.url(tag, "json"))["status"]
        three = self.get_json(self.url(tag, "json3"))["status"]
        return two, three

    def test_a_project_without_checks_is_up(self) -> None:
        self.assertEqual(self.states(), ("up", "up"))
        self.assertEqual(self.states("unused"), ("up", "up"))

    def test_new_paused_and_up_checks_are_up(self) -> None:
        for state in ("new", "paused", "up"):
            self.make_check(state)
        self.assertEqual(self.states(), ("up", "up"))

    def test_a_check_in_its_grace_period_is_late_only_on_three_state_badges(self) -> None:
        self.make_check("up")
        self.make_check("grace")
        self.assertEqual(self.states(), ("up", "late"))

    def test_one_down_check_makes_the_badge_down(self) -> None:
        self.make_check("up")
        self.make_check("grace")
        self.make_check("down")
        self.assertEqual(self.states(), ("down", "down"))

    def test_the_status_is_computed_not_read_from_the_database(self) -> None:
        self.make_check("overdue")
        self.assertEqual(self.states(), ("down", "down"))

    def test_a_run_started_longer_than_the_grace_time_ago_is_down(self) -> None:
        self.make_check("new", last_start=timezone.now() - timedelta(hours=2))
        self.assertEqual(self.states(), ("down", "down"))

    def test_only_checks_with_the_whole_tag_count(self) -> None:
        self.make_check("up", tags="prod web")
        self.make_check("down", tags="production prod-db Prod")
        self.make_check("grace", tags="web prod")
        self.assertEqual(self.states("prod"), ("up", "late"))
        self.assertEqual(self.get_json(self.url("prod", "json"))["total"], 2)

    def test_checks_of_other_projects_do_not_count(self) -> None:
        self.make_check("down", tags="prod", project=self.charlies_project)
        self.assertEqual(self.states(), ("up", "up"))
        self.assertEqual(self.states("prod"), ("up", "up"))

    def test_the_json_body_counts_every_matching_check(self) -> None:
        self.make_check("up", tags="prod")
        self.make_check("up", tags="prod")
        self.make_check("grace", tags="prod")
        self.make_check("down", tags="staging")
        self.assertEqual(
            self.get_json(self.url("prod", "json")),
            {"status": "up", "total": 3, "grace": 1, "down": 0},
        )
        self.assertEqual(
            self.get_json(self.url("prod", "json3")),
            {"status": "late", "total": 3, "grace": 1, "down": 0},
        )
        self.assertEqual(
            self.get_json(self.url("*", "json3")),
            {"status": "down", "total": 4, "grace": 1, "down": 1},
        )


class ProjectBadgeBodiesTestCase(BadgeTestCase):
    @override_settings(MASTER_BADGE_LABEL="Acme Monitoring")
    def test_the_all_checks_badge_is_labelled_with_the_master_label(self) -> None:
        self.make_check("down")
        self.assertEqual(
            self.get_json(self.url("*", "shields")),
            {
                "schemaVersion": 1,
                "label": "Acme Monitoring",
                "message": "down",
                "color": "critical",
            },
        )
        self.assertEqual(self.svg_texts(self.get_svg(self.url("*", "svg")))[0], "Acme Monitoring")

    def test_shields_colours_follow_the_state(self) -> None:
        self.make_check("grace", tags="late")
        self.make_check("up", tags="fine")
        self.assertEqual(self.get_json(self.url("late", "shields3"))["color"], "important")
        self.assertEqual(self.get_json(self.url("late", "shields"))["color"], "success")
        self.assertEqual(self.get_json(self.url("fine", "shields3"))["color"], "success")

    def test_the_svg_is_coloured_by_state(self) -> None:
        self.make_check("grace", tags="prod")
        fills = [r.get("fill") for r in self.get_svg(self.url("prod", "svg3")).iter(f"{SVG}rect")]
        self.assertIn("#fe7d37", fills)
        self.assertEqual(self.svg_texts(self.get_svg(self.url("prod", "svg3")))[2], "late")


class CheckBadgeTestCase(BadgeTestCase):
    def test_it_serves_the_badge_url_of_the_check_object(self) -> None:
        check = self.make_check("up", name="Postgres dump")
        root = self.get_svg(f"/b/2/{check.badge_key}.svg")
        self.assertEqual(self.svg_texts(root), ["Postgres dump", "Postgres dump", "up", "up"])

    def test_states_three_gives_a_three_state_badge(self) -> None:
        check = self.make_check("grace", name="Backup")
        self.assertEqual(
            self.get_json(f"/b/3/{check.badge_key}.json"),
            {"status": "late", "total": 1, "grace": 1, "down": 0},
        )

    def test_any_other_number_gives_a_two_state_badge(self) -> None:
        check = self.make_check("grace", name="Backup")
        for states in ("2", "0", "4", "33"):
            with self.subTest(states=states):
                data = self.get_json(f"/b/{states}/{check.badge_key}.json")
                self.assertEqual(data["status"], "up")

    def test_a_down_check_is_down(self) -> None:
        check = self.make_check("down", name="Backup")
        self.assertEqual(
            self.get_json(f"/b/3/{check.badge_key}.shields"),
            {"schemaVersion": 1, "label": "Backup", "message": "down", "color": "critical"},
        )

    def test_an_unnamed_check_is_labelled_with_its_uuid(self) -> None:
        check = self.make_check("up")
        self.assertEqual(self.get_json(f"/b/2/{check.badge_key}.shields")["label"], str(check.code))

    def test_the_check_uuid_is_not_a_badge_key(self) -> None:
        check = self.make_check("up")
        self.assertEqual(self.client.get(f"/b/2/{check.code}.svg").status_code, 404)

    def test_an_unknown_badge_key_is_not_found(self) -> None:
        self.assertEqual(self.client.get(f"/b/2/{uuid.uuid4()}.svg").status_code, 404)

    def test_an_uppercase_badge_key_or_unknown_format_is_not_found(self) -> None:
        check = self.make_check("up")
        key = str(check.badge_key)
        self.assertEqual(self.client.get(f"/b/2/{key.upper()}.svg").status_code, 404)
        self.assertEqual(self.client.get(f"/b/2/{key}.png").status_code, 404)
        self.assertEqual(self.client.get(f"/b/x/{key}.svg").status_code, 404)


class BadgeHeadersTestCase(BadgeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = self.make_check("up", tags="prod")
        self.paths = [
            self.url("prod", "svg"),
            self.url("*", "json3"),
            f"/b/2/{self.check.badge_key}.shields",
        ]

    def assert_badge_headers(self, response: Any) -> None:
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertEqual(response["Access-Control-Allow-Headers"], "X-Api-Key")
        methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        self.assertEqual(methods, {"GET", "OPTIONS"})
        self.assertEqual(response["Access-Control-Max-Age"], "600")
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        self.assertEqual(
            directives, {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}
        )

    def test_every_badge_response_has_cors_and_no_cache_headers(self) -> None:
        for path in self.paths:
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertEqual(r.status_code, 200)
                self.assert_badge_headers(r)

    def test_a_badge_that_is_not_found_has_them_too(self) -> None:
        r = self.client.get("/badge/alice/WRONGSIG/prod.svg")
        self.assertEqual(r.status_code, 404)
        self.assert_badge_headers(r)

    def test_options_is_a_cors_preflight(self) -> None:
        for path in self.paths:
            with self.subTest(path=path):
                r = self.client.options(path)
                self.assertEqual(r.status_code, 204)
                self.assertEqual(r.content, b"")
                self.assert_badge_headers(r)

    def test_other_methods_including_head_are_not_allowed(self) -> None:
        client = Client(enforce_csrf_checks=True)
        for path in self.paths:
            for method in ("post", "head", "put", "delete", "patch"):
                with self.subTest(path=path, method=method):
                    r = getattr(client, method)(path)
                    self.assertEqual(r.status_code, 405)
                    self.assert_badge_headers(r)
