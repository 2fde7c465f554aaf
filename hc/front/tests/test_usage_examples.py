"""The usage examples dialog and its pre-rendered snippets (web spec §7.2)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from hc.api.models import Check, CheckKind
from hc.front.usage_examples import GUESS_HINT, SNIPPETS, TABS, crontab_schedule, render, target
from hc.test import BaseTestCase


class SnippetFilesTestCase(SimpleTestCase):
    def test_the_committed_snippets_are_up_to_date(self) -> None:
        templates = Path(settings.BASE_DIR) / "templates"
        for snippet in SNIPPETS:
            with self.subTest(snippet=snippet.name):
                committed = target(snippet, templates).read_text()
                self.assertEqual(
                    committed, render(snippet), "run `./manage.py pygmentize` and commit"
                )

    def test_every_snippet_has_a_tab_and_every_tab_a_snippet(self) -> None:
        shown = [name for tab in TABS for _, name in tab.blocks]
        self.assertEqual(sorted(shown), sorted(s.name for s in SNIPPETS))

    def test_every_snippet_pings_the_url(self) -> None:
        for snippet in SNIPPETS:
            with self.subTest(snippet=snippet.name):
                html = render_to_string(
                    f"front/snippets/{snippet.name}.html",
                    {"ping_url": "https://hc.example.org/ping/abc", "cron_schedule": "0 2 * * *"},
                )
                self.assertIn("https://hc.example.org/ping/abc", html)
                self.assertNotIn("PING_URL", html)
                self.assertNotIn("SCHEDULE", html)

    def test_urls_are_escaped(self) -> None:
        html = render_to_string("front/snippets/bash_curl.html", {"ping_url": "<x>&"})
        self.assertIn("&lt;x&gt;&amp;", html)

    def test_the_guess_hint_shows_only_for_guesses(self) -> None:
        context = {"ping_url": "u", "cron_schedule": "* * * * *"}
        html = render_to_string("front/snippets/crontab.html", context)
        self.assertEqual(html.count('class="c1"'), 2)
        self.assertTrue(html.startswith('<span class="c1"># Replace'))
        html = render_to_string(
            "front/snippets/crontab.html", {**context, "schedule_hint": "Fix me."}
        )
        self.assertEqual(html.count('class="c1"'), 3)
        self.assertTrue(html.startswith('<span class="c1"># Fix me.</span>\n'))


class CrontabScheduleTestCase(SimpleTestCase):
    def simple(self, seconds: int) -> tuple[str, str]:
        return crontab_schedule(Check(kind=CheckKind.SIMPLE, timeout=timedelta(seconds=seconds)))

    def test_periods_a_crontab_can_express(self) -> None:
        cases = {
            60: "* * * * *",
            3600: "0 * * * *",
            86400: "0 0 * * *",
            **{n * 60: f"*/{n} * * * *" for n in (2, 3, 4, 5, 6, 10, 12, 15, 20, 30)},
            **{n * 3600: f"0 */{n} * * *" for n in (2, 3, 4, 6, 8, 12)},
        }
        for seconds, expected in cases.items():
            with self.subTest(seconds=seconds):
                self.assertEqual(self.simple(seconds), (expected, ""))

    def test_other_periods_are_guesses(self) -> None:
        for seconds in (7 * 60, 90 * 60, 5 * 3600, 2 * 86400, 7 * 86400, 61):
            with self.subTest(seconds=seconds):
                self.assertEqual(self.simple(seconds), ("* * * * *", GUESS_HINT))

    def test_cron_checks_use_their_expression(self) -> None:
        check = Check(kind=CheckKind.CRON, schedule="15 3 * * 1-5", tz="Europe/Riga")
        self.assertEqual(crontab_schedule(check), ("15 3 * * 1-5", ""))

    def test_oncalendar_checks_are_guesses(self) -> None:
        check = Check(kind=CheckKind.ONCALENDAR, schedule="Mon *-*-* 02:00")
        self.assertEqual(crontab_schedule(check), ("* * * * *", GUESS_HINT))


class UsageExamplesDialogTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check_ = Check.objects.create(
            project=self.project, name="Nightly", slug="nightly", timeout=timedelta(minutes=15)
        )
        self.client.force_login(self.rose)

    def dialog(self) -> str:
        html = self.client.get(f"/checks/{self.check_.code}/details/").content.decode()
        start = html.index('id="usage-examples-modal"')
        return html[start : html.index('id="ping-details-modal"')]

    def test_every_tab_embeds_the_ping_url(self) -> None:
        html = self.dialog()
        self.assertIn("“Nightly” Usage Examples", html)
        for tab in ("Crontab", "Bash", "Python", "Ruby", "Node.js", "Go", "PHP", "C#"):
            self.assertIn(f">{tab}</button>", html)
        url = f"http://localhost:8000/ping/{self.check_.code}"
        # Crontab (twice), curl, wget, urllib, requests, Ruby, Node, Go, PHP, C#,
        # browser, and PowerShell twice.
        self.assertEqual(html.count(url), 14)
        self.assertIn("*/15 * * * *", html)
        self.assertNotIn(GUESS_HINT, html)
        self.assertIn(f'href="mailto:{self.check_.code}@localhost"', html)

    def test_slug_style_examples(self) -> None:
        self.project.show_slugs = True
        self.project.save()
        html = self.dialog()
        self.assertIn("http://localhost:8000/ping/abcdefghij0123456789ab/nightly", html)
        self.assertIn("mailto:abcdefghij0123456789ab+nightly@localhost", html)

    def test_a_guessed_schedule_says_so(self) -> None:
        self.check_.timeout = timedelta(hours=5)
        self.check_.save()
        self.assertIn(GUESS_HINT, self.dialog())

    def test_unnamed_checks_have_a_plain_title(self) -> None:
        self.check_.name = ""
        self.check_.save()
        self.assertIn('id="usage-examples-title">Usage Examples</h2>', self.dialog())
