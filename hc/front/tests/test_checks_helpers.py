"""Pure helpers of the checks page: natural sort, relative times, filters, tag pills."""

from __future__ import annotations

from django.http import QueryDict
from django.test import SimpleTestCase

from hc.api.models import Check, Status
from hc.front.checks_list import Filters, Row, natural_key, tag_pills
from hc.front.checks_rows import ago
from hc.front.forms_checks import normalize_tags


class NaturalKeyTestCase(SimpleTestCase):
    def test_numbers_compare_as_numbers_and_case_is_ignored(self) -> None:
        names = ["web-10", "Web-2", "web-1", "db", "", " Alpha", "web-1b", "10", "9"]
        self.assertEqual(
            sorted(names, key=natural_key),
            ["", "9", "10", " Alpha", "db", "web-1", "web-1b", "Web-2", "web-10"],
        )


class AgoTestCase(SimpleTestCase):
    def test_wording(self) -> None:
        cases = {
            0: "just now",
            59.9: "just now",
            60: "1 minute ago",
            119: "1 minute ago",
            3599: "59 minutes ago",
            3600: "1 hour ago",
            5 * 3600: "5 hours ago",
            86400: "1 day ago",
            13 * 86400: "13 days ago",
            14 * 86400: "2 weeks ago",
            364 * 86400: "52 weeks ago",
            365 * 86400: "1 year ago",
            800 * 86400: "2 years ago",
        }
        for seconds, text in cases.items():
            with self.subTest(seconds=seconds):
                self.assertEqual(ago(seconds), text)


class FiltersTestCase(SimpleTestCase):
    def row(self, tags: str = "", name: str = "", status: Status = Status.UP) -> Row:
        check = Check(name=name, tags=tags)
        return Row(check, status, tags.split(), f"{name.lower()} ", set())

    def test_parsing_drops_unknown_statuses_and_empty_tags(self) -> None:
        query = QueryDict("tag=a&tag=&tag=a&tag=b&status=down&status=x&status=new&search=%20Foo%20")
        filters = Filters.from_query(query)
        self.assertEqual(filters.tags, ("a", "b"))
        self.assertEqual(filters.statuses, ("new", "down"))
        self.assertEqual(filters.search, "foo")
        self.assertEqual(
            filters.query(sort="name"), "?sort=name&tag=a&tag=b&search=foo&status=new&status=down"
        )

    def test_matching(self) -> None:
        filters = Filters(tags=("a", "b"), search="back", statuses=("down",))
        self.assertTrue(filters.matches(self.row("a b c", "Backup", Status.DOWN)))
        self.assertFalse(filters.matches(self.row("a", "Backup", Status.DOWN)))
        self.assertFalse(filters.matches(self.row("a b", "Other", Status.DOWN)))
        self.assertFalse(filters.matches(self.row("a b", "Backup", Status.UP)))
        self.assertFalse(Filters())
        self.assertTrue(Filters().matches(self.row()))


class TagsTestCase(SimpleTestCase):
    def test_normalize_tags(self) -> None:
        self.assertEqual(normalize_tags("  a  b\tc\na b "), "a b c")
        self.assertEqual(normalize_tags("   "), "")

    def test_tag_pills_sort_case_insensitively(self) -> None:
        pills = tag_pills([(["b", "A"], Status.UP), (["a"], Status.GRACE)])
        self.assertEqual(
            [(p.tag, p.status) for p in pills], [("A", "up"), ("a", "grace"), ("b", "up")]
        )
