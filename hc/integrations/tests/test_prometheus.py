"""The per-project Prometheus exporter (management-api §7.1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from hc.accounts.services import do_issue_api_key
from hc.api.models import Check, CheckStatus
from hc.test import BaseTestCase

NOW = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
FAMILIES = [
    "hc_check_up",
    "hc_check_started",
    "hc_check_grace",
    "hc_check_paused",
    "hc_tag_up",
    "hc_checks_total",
    "hc_checks_down_total",
]
EMPTY_PROJECT = """\
# HELP hc_check_up 1 when the check is not down, else 0.
# TYPE hc_check_up gauge

# HELP hc_check_started 1 while a started run has not finished, else 0.
# TYPE hc_check_started gauge

# HELP hc_check_grace 1 when the check is late but still in its grace period, else 0.
# TYPE hc_check_grace gauge

# HELP hc_check_paused 1 when the check is paused, else 0.
# TYPE hc_check_paused gauge

# HELP hc_tag_up 1 when no check carrying this tag is down, else 0.
# TYPE hc_tag_up gauge

# HELP hc_checks_total Number of checks in the project.
# TYPE hc_checks_total gauge
hc_checks_total 0

# HELP hc_checks_down_total Number of checks that are down right now.
# TYPE hc_checks_down_total gauge
hc_checks_down_total 0
"""


@time_machine.travel(NOW, tick=False)
class PrometheusTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.read_key = do_issue_api_key(self.project, readonly=True)
        self.write_key = do_issue_api_key(self.project, readonly=False)
        self.url = f"/projects/{self.project.code}/metrics/{self.read_key}"

    def add(self, name: str, tags: str = "", **fields: object) -> Check:
        return Check.objects.create(project=self.project, name=name, tags=tags, **fields)

    def add_one_of_each(self) -> dict[str, Check]:
        """Checks in each reported state, created in this order."""
        return {
            "up": self.add("Postgres dump", "prod db", status=CheckStatus.UP, last_ping=NOW),
            "grace": self.add(
                "Late", "prod", status=CheckStatus.UP, last_ping=NOW - DAY - 30 * MINUTE
            ),
            "down": self.add("Down", "db", status=CheckStatus.DOWN, last_ping=NOW - 2 * DAY),
            "paused": self.add("Paused", "", status=CheckStatus.PAUSED),
            "running": self.add("Running", "web", last_start=NOW - MINUTE),
        }

    def text(self, url: str | None = None) -> str:
        r = self.client.get(url or self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/plain")
        return r.content.decode()

    def samples(self, text: str) -> dict[str, dict[str, float]]:
        """Family -> (check name, or tag, or "") -> value, via the reference parser."""
        result: dict[str, dict[str, float]] = {}
        for family in text_string_to_metric_families(text):
            self.assertEqual(family.type, "gauge")
            values = result.setdefault(family.name, {})
            for sample in family.samples:
                label = sample.labels.get("name", sample.labels.get("tag", ""))
                values[label] = sample.value
        return result


class ExpositionTestCase(PrometheusTestCase):
    def test_it_exports_every_family_in_the_exact_text_format(self) -> None:
        up = self.add("Postgres dump", "prod db", status=CheckStatus.UP, last_ping=NOW)
        down = self.add("Down", "db", status=CheckStatus.DOWN)
        u, d = up.unique_key, down.unique_key
        self.assertEqual(
            self.text(),
            f"""\
# HELP hc_check_up 1 when the check is not down, else 0.
# TYPE hc_check_up gauge
hc_check_up{{name="Postgres dump", tags="prod db", unique_key="{u}"}} 1
hc_check_up{{name="Down", tags="db", unique_key="{d}"}} 0

# HELP hc_check_started 1 while a started run has not finished, else 0.
# TYPE hc_check_started gauge
hc_check_started{{name="Postgres dump", tags="prod db", unique_key="{u}"}} 0
hc_check_started{{name="Down", tags="db", unique_key="{d}"}} 0

# HELP hc_check_grace 1 when the check is late but still in its grace period, else 0.
# TYPE hc_check_grace gauge
hc_check_grace{{name="Postgres dump", tags="prod db", unique_key="{u}"}} 0
hc_check_grace{{name="Down", tags="db", unique_key="{d}"}} 0

# HELP hc_check_paused 1 when the check is paused, else 0.
# TYPE hc_check_paused gauge
hc_check_paused{{name="Postgres dump", tags="prod db", unique_key="{u}"}} 0
hc_check_paused{{name="Down", tags="db", unique_key="{d}"}} 0

# HELP hc_tag_up 1 when no check carrying this tag is down, else 0.
# TYPE hc_tag_up gauge
hc_tag_up{{tag="db"}} 0
hc_tag_up{{tag="prod"}} 1

# HELP hc_checks_total Number of checks in the project.
# TYPE hc_checks_total gauge
hc_checks_total 2

# HELP hc_checks_down_total Number of checks that are down right now.
# TYPE hc_checks_down_total gauge
hc_checks_down_total 1
""",
        )

    def test_an_empty_project_still_lists_every_family(self) -> None:
        text = self.text()
        self.assertEqual(text, EMPTY_PROJECT)
        self.assertEqual([f.name for f in text_string_to_metric_families(text)], FAMILIES)

    def test_the_reference_parser_reads_every_family_in_order(self) -> None:
        self.add_one_of_each()
        families = list(text_string_to_metric_families(self.text()))
        self.assertEqual([f.name for f in families], FAMILIES)

    def test_each_check_state_sets_the_right_gauges(self) -> None:
        self.add_one_of_each()
        samples = self.samples(self.text())
        names = ["Postgres dump", "Late", "Down", "Paused", "Running"]
        expected = {
            "hc_check_up": [1, 1, 0, 1, 1],
            "hc_check_started": [0, 0, 0, 0, 1],
            "hc_check_grace": [0, 1, 0, 0, 0],
            "hc_check_paused": [0, 0, 0, 1, 0],
        }
        for family, values in expected.items():
            with self.subTest(family=family):
                self.assertEqual(samples[family], dict(zip(names, values, strict=True)))
        self.assertEqual(samples["hc_checks_total"], {"": 5})
        self.assertEqual(samples["hc_checks_down_total"], {"": 1})

    def test_a_new_check_counts_as_up(self) -> None:
        self.add("Fresh")
        self.assertEqual(self.samples(self.text())["hc_check_up"], {"Fresh": 1})

    def test_a_running_check_past_its_grace_time_is_down(self) -> None:
        self.add("Stuck", status=CheckStatus.UP, last_ping=NOW, last_start=NOW - 2 * 60 * MINUTE)
        samples = self.samples(self.text())
        self.assertEqual(samples["hc_check_up"], {"Stuck": 0})
        self.assertEqual(samples["hc_check_started"], {"Stuck": 1})
        self.assertEqual(samples["hc_checks_down_total"], {"": 1})

    def test_a_check_computed_down_counts_as_down(self) -> None:
        self.add("Overdue", "x", status=CheckStatus.UP, last_ping=NOW - 2 * DAY)
        samples = self.samples(self.text())
        self.assertEqual(samples["hc_check_up"], {"Overdue": 0})
        self.assertEqual(samples["hc_tag_up"], {"x": 0})
        self.assertEqual(samples["hc_checks_down_total"], {"": 1})

    def test_tags_are_distinct_sorted_and_down_if_any_check_is_down(self) -> None:
        self.add_one_of_each()
        self.add("Extra", "web  prod ", status=CheckStatus.UP, last_ping=NOW)
        text = self.text()
        tag_lines = [line for line in text.splitlines() if line.startswith("hc_tag_up{")]
        self.assertEqual(
            tag_lines,
            ['hc_tag_up{tag="db"} 0', 'hc_tag_up{tag="prod"} 1', 'hc_tag_up{tag="web"} 1'],
        )

    def test_checks_are_listed_in_creation_order(self) -> None:
        self.add("Second", created=NOW - DAY)
        self.add("First", created=NOW - 2 * DAY)
        lines = [line for line in self.text().splitlines() if line.startswith("hc_check_up{")]
        self.assertTrue(lines[0].startswith('hc_check_up{name="First"'))
        self.assertTrue(lines[1].startswith('hc_check_up{name="Second"'))

    def test_label_values_are_escaped(self) -> None:
        name = 'C:\\backup "nightly"\nsecond line'
        check = self.add(name, 'a"b c\\d')
        text = self.text()
        escaped = 'name="C:\\\\backup \\"nightly\\"\\nsecond line", tags="a\\"b c\\\\d"'
        self.assertIn(f'hc_check_up{{{escaped}, unique_key="{check.unique_key}"}} 1\n', text)
        self.assertIn('hc_tag_up{tag="a\\"b"} 1\n', text)
        self.assertIn('hc_tag_up{tag="c\\\\d"} 1\n', text)
        family = next(iter(text_string_to_metric_families(text)))
        self.assertEqual(family.samples[0].labels["name"], name)
        self.assertEqual(family.samples[0].labels["tags"], 'a"b c\\d')

    def test_non_ascii_names_are_utf8(self) -> None:
        self.add("Ångström ✓")
        self.assertIn('name="Ångström ✓"', self.text())

    def test_the_check_uuid_is_not_revealed(self) -> None:
        check = self.add("Secret")
        text = self.text()
        self.assertNotIn(str(check.code), text)
        self.assertIn(check.unique_key, text)

    def test_only_the_keys_project_is_exported(self) -> None:
        Check.objects.create(project=self.charlies_project, name="Charlie's")
        self.add("Alice's")
        self.assertEqual(self.samples(self.text())["hc_check_up"], {"Alice's": 1})

    def test_it_has_no_cors_headers(self) -> None:
        r = self.client.get(self.url)
        self.assertNotIn("Access-Control-Allow-Origin", r)


class UrlsAndKeysTestCase(PrometheusTestCase):
    def test_the_legacy_alias_serves_the_same_text(self) -> None:
        self.add_one_of_each()
        alias = f"/projects/{self.project.code}/checks/metrics/{self.read_key}"
        self.assertEqual(self.text(alias), self.text())

    def test_the_bearer_form_serves_the_same_text(self) -> None:
        self.add_one_of_each()
        r = self.client.get(
            f"/projects/{self.project.code}/metrics/",
            HTTP_AUTHORIZATION=f"Bearer {self.read_key}",
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/plain")
        self.assertEqual(r.content.decode(), self.text())

    def test_the_project_uuid_in_the_path_is_not_compared(self) -> None:
        self.add("Alice's")
        for code in (str(self.charlies_project.code), str(uuid.uuid4())):
            with self.subTest(code=code):
                text = self.text(f"/projects/{code}/metrics/{self.read_key}")
                self.assertIn('name="Alice\'s"', text)

    def test_a_key_of_the_wrong_length_is_400(self) -> None:
        for key in (self.read_key[:-1], self.read_key + "x", "x"):
            for path in ("metrics", "checks/metrics"):
                with self.subTest(length=len(key), path=path):
                    r = self.client.get(f"/projects/{self.project.code}/{path}/{key}")
                    self.assertEqual(r.status_code, 400)
                    self.assertEqual(r.content, b"")

    def test_the_read_write_key_is_403(self) -> None:
        r = self.client.get(f"/projects/{self.project.code}/metrics/{self.write_key}")
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.content, b"")

    def test_an_unknown_key_is_403(self) -> None:
        for key in ("hcr_" + "x" * 28, "hcw_" + "x" * 28, "x" * 32):
            with self.subTest(key=key):
                r = self.client.get(f"/projects/{self.project.code}/metrics/{key}")
                self.assertEqual(r.status_code, 403)
                self.assertEqual(r.content, b"")

    def test_a_legacy_plain_read_only_key_works(self) -> None:
        self.project.api_key_readonly = "R" * 32
        self.project.api_key = "W" * 32
        self.project.save(update_fields=["api_key", "api_key_readonly"])
        self.assertEqual(
            self.text(f"/projects/{self.project.code}/metrics/{'R' * 32}"), EMPTY_PROJECT
        )
        r = self.client.get(f"/projects/{self.project.code}/metrics/{'W' * 32}")
        self.assertEqual(r.status_code, 403)

    def test_a_legacy_key_must_match_case_exactly(self) -> None:
        self.project.api_key_readonly = "R" * 32
        self.project.save(update_fields=["api_key_readonly"])
        r = self.client.get(f"/projects/{self.project.code}/metrics/{'r' * 32}")
        self.assertEqual(r.status_code, 403)

    def test_a_replaced_read_only_key_stops_working(self) -> None:
        do_issue_api_key(self.project, readonly=True)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_refuses_post(self) -> None:
        self.assertEqual(self.client.post(self.url).status_code, 405)

    @override_settings(PROMETHEUS_ENABLED=False)
    def test_every_url_is_404_when_disabled(self) -> None:
        code = self.project.code
        for url in (
            self.url,
            f"/projects/{code}/checks/metrics/{self.read_key}",
            f"/projects/{code}/metrics/",
        ):
            with self.subTest(url=url):
                r = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {self.read_key}")
                self.assertEqual(r.status_code, 404)


class BearerHeaderTestCase(PrometheusTestCase):
    def get(self, header: str | None) -> int:
        url = f"/projects/{self.project.code}/metrics/"
        if header is None:
            return self.client.get(url).status_code
        return self.client.get(url, HTTP_AUTHORIZATION=header).status_code

    def test_a_missing_header_is_401_with_an_empty_body(self) -> None:
        r = self.client.get(f"/projects/{self.project.code}/metrics/")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.content, b"")

    def test_a_header_without_the_bearer_prefix_is_401(self) -> None:
        for header in (
            self.read_key,
            f"bearer {self.read_key}",
            f"BEARER {self.read_key}",
            f"Bearer\t{self.read_key}",
            f"Token {self.read_key}",
            "Bearer",
            "",
        ):
            with self.subTest(header=header):
                self.assertEqual(self.get(header), 401)

    def test_the_prefix_is_removed_only_once(self) -> None:
        # A legacy key may itself start with "B" or even with "Bearer ".
        key = "Bearer " + "B" * 25
        self.project.api_key_readonly = key
        self.project.save(update_fields=["api_key_readonly"])
        self.assertEqual(self.get(f"Bearer {key}"), 200)

    def test_extra_spaces_become_part_of_the_key(self) -> None:
        self.assertEqual(self.get(f"Bearer  {self.read_key}"), 400)
        self.assertEqual(self.get(f"Bearer {self.read_key} "), 400)

    def test_the_key_rules_apply_to_the_bearer_form(self) -> None:
        self.assertEqual(self.get("Bearer short"), 400)
        self.assertEqual(self.get(f"Bearer {self.write_key}"), 403)
        self.assertEqual(self.get(f"Bearer {'hcr_' + 'x' * 28}"), 403)
        self.assertEqual(self.get(f"Bearer {self.read_key}"), 200)

    def test_a_key_in_the_path_form_is_not_needed_with_a_header(self) -> None:
        # The header form has its own URL; the path form ignores the header.
        r = self.client.get(
            f"/projects/{self.project.code}/metrics/{self.write_key}",
            HTTP_AUTHORIZATION=f"Bearer {self.read_key}",
        )
        self.assertEqual(r.status_code, 403)
