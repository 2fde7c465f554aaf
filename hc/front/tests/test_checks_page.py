"""The "My Checks" page (web spec §1.3, §6.1 to §6.5, §6.11)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from hc.accounts.activity import LAST_PROJECT_KEY
from hc.accounts.models import Profile
from hc.api.models import Channel, Check, CheckKind, CheckStatus
from hc.test import PING_KEY, BaseTestCase

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
@override_settings(SITE_NAME="Example", PING_ENDPOINT="https://ping.example.org/")
class ChecksPageTestCase(BaseTestCase):
    def url(self, query: str = "") -> str:
        return f"/projects/{self.project.code}/checks/{query}"

    def get(self, query: str = "", user: str = "alice") -> str:
        self.client.force_login(getattr(self, user))
        response = self.client.get(self.url(query))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def add(self, name: str, minutes_ago: int = 0, **fields: object) -> Check:
        return Check.objects.create(
            project=self.project, name=name, created=NOW - timedelta(minutes=minutes_ago), **fields
        )

    def order(self, html: str, *names: str) -> list[str]:
        """The given names in the order the page lists them."""
        return sorted(names, key=lambda name: html.index(f'<span class="name">{name}<'))

    def row(self, html: str, check: Check) -> str:
        match = re.search(rf'<tr id="{check.code}".*?</tr>', html, re.S)
        assert match is not None, f"no row for {check.name}"
        return match.group(0)

    # Access and layout ----------------------------------------------------------

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url())
        self.assertRedirects(
            response, f"/accounts/login/?next={self.url()}", fetch_redirect_response=False
        )

    def test_non_members_get_404(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_does_not_show_other_projects_checks(self) -> None:
        Check.objects.create(project=self.charlies_project, name="charlies-check")
        self.add("mine")
        html = self.get()
        self.assertIn("mine", html)
        self.assertNotIn("charlies-check", html)

    def test_it_renders_the_project_navbar_full_width(self) -> None:
        html = self.get()
        self.assertIn('id="project-menu-toggle"', html)
        self.assertIn('class="nav-link active" href="' + self.url(), html)
        self.assertIn('<main class="container-fluid"', html)

    def test_it_remembers_the_visit(self) -> None:
        Profile.objects.filter(user=self.alice).update(last_active_date=None)
        self.get()
        self.assertEqual(self.client.session[LAST_PROJECT_KEY], str(self.project.code))
        self.assertEqual(Profile.objects.get(user=self.alice).last_active_date, NOW)

    def test_empty_project_shows_a_notice_with_add_check(self) -> None:
        html = self.get()
        self.assertIn("The project “Alice&#x27;s Project” has no checks yet.", html)
        self.assertIn('id="add-check-btn"', html)
        self.assertNotIn('id="checks-table"', html)

    def test_read_only_members_get_no_buttons_that_change_things(self) -> None:
        self.add("nightly", tags="db")
        html = self.get(user="rose")
        self.assertIn("nightly", html)
        for marker in ("add-check-btn", "data-name-check", "pause-btn", "data-schedule-url"):
            self.assertNotIn(marker, html)
        self.assertNotIn('id="add-check-modal"', html)
        self.assertNotIn('class="url-style"', html)
        self.assertIn('class="details-btn', html.replace("btn btn-sm details-btn", "details-btn"))

    def test_read_write_members_get_the_buttons(self) -> None:
        self.add("nightly")
        html = self.get(user="bob")
        for marker in ('id="add-check-btn"', "data-name-check", "pause-btn", "data-schedule-url"):
            self.assertIn(marker, html)
        self.assertIn('id="add-check-modal"', html)
        self.assertIn('id="name-modal"', html)
        self.assertIn('id="schedule-modal"', html)

    # Title, favicon, status icons -----------------------------------------------

    def test_title_counts_down_checks_and_the_favicon_turns_red(self) -> None:
        self.add("up-one", status=CheckStatus.UP, last_ping=NOW)
        self.add("down-one", status=CheckStatus.DOWN)
        self.add("down-two", status=CheckStatus.DOWN)
        html = self.get()
        self.assertIn("<title>2 down \u2013 Example</title>", html)
        self.assertIn('href="/static/img/favicon-down.svg"', html)

    def test_title_is_the_site_name_when_nothing_is_down(self) -> None:
        self.add("fine")
        html = self.get()
        self.assertIn("<title>Example</title>", html)
        self.assertIn('href="/static/img/favicon.svg"', html)

    def test_status_icons_show_the_computed_status(self) -> None:
        late = self.add("late", status=CheckStatus.UP, last_ping=NOW - timedelta(days=1, minutes=5))
        overdue = self.add("overdue", status=CheckStatus.UP, last_ping=NOW - timedelta(days=2))
        paused = self.add("paused", status=CheckStatus.PAUSED)
        new = self.add("new")
        html = self.get()
        self.assertIn('data-status="grace"', self.row(html, late))
        self.assertIn("bi-exclamation-circle-fill grace", self.row(html, late))
        self.assertIn("bi-bell-fill down", self.row(html, overdue))
        self.assertIn("bi-bell-slash paused", self.row(html, paused))
        self.assertIn("Monitoring is paused", self.row(html, paused))
        self.assertIn("never received a ping", self.row(html, new))

    def test_running_checks_show_the_dots(self) -> None:
        running = self.add("running", status=CheckStatus.UP, last_ping=NOW, last_start=NOW)
        idle = self.add("idle", status=CheckStatus.UP, last_ping=NOW)
        html = self.get()
        self.assertIn('<span class="running-dots" aria-hidden="true">', self.row(html, running))
        self.assertIn(" data-started", self.row(html, running))
        self.assertIn('<span class="running-dots hidden"', self.row(html, idle))

    # Columns ----------------------------------------------------------------------

    def test_names_tags_and_unnamed_checks(self) -> None:
        self.add("a_very_long_name_with_underscores_in_it", tags="db prod")
        unnamed = Check.objects.create(project=self.project)
        html = self.get()
        self.assertIn("a_<wbr>very_<wbr>long_", html)
        self.assertIn('<span class="tag">db</span> <span class="tag">prod</span>', html)
        self.assertIn('<span class="unnamed">unnamed</span>', self.row(html, unnamed))

    def test_names_are_escaped(self) -> None:
        self.add("<script>x</script>", tags="<b>", desc='"quoted"')
        html = self.get()
        self.assertNotIn("<script>x", html)
        self.assertIn("&lt;script&gt;x&lt;/script&gt;", html)
        self.assertIn('<span class="tag">&lt;b&gt;</span>', html)
        self.assertIn('data-desc="&quot;quoted&quot;"', html)

    def test_ping_urls_in_uuid_style(self) -> None:
        check = self.add("backup")
        row = self.row(self.get(), check)
        self.assertIn(f'data-copy="https://ping.example.org/{check.code}"', row)
        self.assertIn(f'<span class="base">https://ping.example.org/</span>{check.code}', row)

    def test_ping_urls_in_slug_style(self) -> None:
        self.project.show_slugs = True
        self.project.save()
        unique = self.add("backup", slug="backup")
        twin_a = self.add("twin a", slug="twin")
        self.add("twin b", slug="twin")
        no_slug = self.add("no slug")
        html = self.get()
        self.assertIn(f'data-copy="https://ping.example.org/{PING_KEY}/backup"', html)
        self.assertNotIn("not unique", self.row(html, unique))
        self.assertIn("(not unique)", self.row(html, twin_a))
        self.assertIn("unavailable, slug not set", self.row(html, no_slug))

    def test_slug_urls_show_a_placeholder_without_a_ping_key(self) -> None:
        self.project.show_slugs = True
        self.project.ping_key = None
        self.project.save()
        self.add("backup", slug="backup")
        self.assertIn("https://ping.example.org/{ping_key}/backup", self.get())

    def test_integration_icons_toggle_state_and_order(self) -> None:
        email = Channel.objects.create(
            project=self.project, kind="email", config={"value": "ops@example.org"}
        )
        hook = Channel.objects.create(project=self.project, kind="webhook", name="Chat")
        group = Channel.objects.create(project=self.project, kind="group", name="Everyone")
        check = self.add("backup")
        email.checks.add(check)
        html = self.get()
        header = re.search(r'data-channels="([^"]*)"', html)
        assert header is not None
        # Groups first, then by creation.
        self.assertEqual(
            header.group(1).split(), [str(group.code), str(email.code), str(hook.code)]
        )
        row = self.row(html, check)
        self.assertIn(
            '<button type="button" class="ch on" data-ch="1" aria-pressed="true" '
            'title="Email to ops@example.org"><i class="bi bi-envelope"',
            row,
        )
        self.assertIn('class="ch" data-ch="2" aria-pressed="false" title="Chat"', row)
        self.assertIn('title="Everyone"><i class="bi bi-collection"', row)

    def test_read_only_members_see_integration_icons_they_cannot_press(self) -> None:
        channel = Channel.objects.create(project=self.project, kind="webhook", name="Chat")
        channel.checks.add(self.add("backup"))
        html = self.get(user="rose")
        self.assertIn('<span class="ch on" role="img" title="Chat" aria-label="Chat: on">', html)
        self.assertNotIn("data-ch=", html)

    def test_more_than_ten_integrations_show_a_count(self) -> None:
        check = self.add("backup")
        for i in range(11):
            channel = Channel.objects.create(project=self.project, kind="webhook", name=f"h{i}")
            if i < 4:
                channel.checks.add(check)
        row = self.row(self.get(), check)
        self.assertIn('<td class="col-integrations">4 of 11</td>', row)

    def test_periods_schedules_and_grace(self) -> None:
        simple = self.add("simple", timeout=timedelta(weeks=2), grace=timedelta(minutes=5))
        cron = self.add("cron", kind=CheckKind.CRON, schedule="0 2 * * *", tz="Europe/Riga")
        html = self.get()
        row = self.row(html, simple)
        self.assertIn(
            '<span class="period">2 weeks</span><span class="grace">5 minutes</span>', row
        )
        self.assertIn('data-kind="simple" data-timeout="1209600" data-grace="300"', row)
        self.assertIn(f'data-schedule-url="/checks/{simple.code}/timeout/"', row)
        row = self.row(html, cron)
        self.assertIn('<span class="period expr">0 2 * * *</span>', row)
        self.assertIn('data-schedule="0 2 * * *" data-tz="Europe/Riga"', row)

    def test_last_ping_relative_time_and_duration(self) -> None:
        pinged = self.add(
            "pinged",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(hours=5),
            last_duration=timedelta(minutes=12, seconds=3),
        )
        long_run = self.add(
            "long run",
            status=CheckStatus.UP,
            last_ping=NOW - timedelta(minutes=1),
            last_duration=timedelta(hours=80),
        )
        never = self.add("never")
        html = self.get()
        row = self.row(html, pinged)
        self.assertIn(f'data-ts="{(NOW - timedelta(hours=5)).timestamp():.6f}"', row)
        self.assertIn(">5 hours ago</span>", row)
        self.assertIn("12 min 3 sec</span>", row)
        self.assertIn(">1 minute ago</span>", self.row(html, long_run))
        self.assertNotIn("duration", self.row(html, long_run))
        self.assertIn('<span class="never">Never</span>', self.row(html, never))
        self.assertIn('<span class="sub">Last Duration</span>', html)

    def test_no_duration_header_without_durations(self) -> None:
        self.add("pinged", status=CheckStatus.UP, last_ping=NOW)
        self.assertNotIn("Last Duration", self.get())

    def test_confirmation_links_are_labelled(self) -> None:
        check = self.add(
            "signup",
            status=CheckStatus.UP,
            last_ping=NOW,
            has_confirmation_link=True,
            last_duration=timedelta(seconds=5),
        )
        row = self.row(self.get(), check)
        self.assertIn(">confirmation link</span>", row)
        self.assertNotIn("5 sec", row)

    def test_details_links(self) -> None:
        check = self.add("backup")
        self.assertIn(f'href="/checks/{check.code}/details/" title="Show Details"', self.get())

    # Tag pills ------------------------------------------------------------------------

    def test_tag_pills_take_the_worst_status(self) -> None:
        self.add("a", tags="web db", status=CheckStatus.DOWN)
        self.add("b", tags="web", status=CheckStatus.UP, last_ping=NOW)
        self.add(
            "c", tags="db", status=CheckStatus.UP, last_ping=NOW - timedelta(days=1, minutes=1)
        )
        self.add("d", tags="Ops", status=CheckStatus.UP, last_ping=NOW)
        self.add(
            "e", tags="late", status=CheckStatus.UP, last_ping=NOW - timedelta(days=1, minutes=1)
        )
        html = self.get()
        pills = re.findall(
            r'class="btn btn-sm tag-pill (\w+)" data-tag="([^"]+)" title="([^"]+)"', html
        )
        self.assertEqual(
            pills,
            [
                ("down", "db", "1 of 2 down"),
                ("grace", "late", "1 up"),
                ("up", "Ops", "1 up"),
                ("down", "web", "1 of 2 down"),
            ],
        )

    # Sorting (§6.4) ----------------------------------------------------------------------

    def test_default_order_is_creation_with_down_checks_first(self) -> None:
        self.add("first", minutes_ago=30)
        self.add("second", minutes_ago=20, status=CheckStatus.DOWN)
        self.add("third", minutes_ago=10)
        self.add("fourth", minutes_ago=5, status=CheckStatus.DOWN)
        html = self.get()
        self.assertEqual(
            self.order(html, "first", "second", "third", "fourth"),
            ["second", "fourth", "first", "third"],
        )

    def test_name_sort_is_natural_and_case_insensitive(self) -> None:
        for i, name in enumerate(["web-10", "Web-2", " alpha", "web-1", "beta"]):
            self.add(name, minutes_ago=i)
        html = self.get("?sort=name")
        self.assertEqual(
            self.order(html, "web-10", "Web-2", " alpha", "web-1", "beta"),
            [" alpha", "beta", "web-1", "Web-2", "web-10"],
        )
        html = self.get("?sort=-name")
        self.assertEqual(
            self.order(html, "web-10", "Web-2", " alpha", "web-1", "beta"),
            ["web-10", "Web-2", "web-1", "beta", " alpha"],
        )

    def test_last_ping_sorts(self) -> None:
        self.add("never", minutes_ago=1)
        self.add("old", status=CheckStatus.UP, last_ping=NOW - timedelta(hours=3))
        self.add("recent", status=CheckStatus.UP, last_ping=NOW - timedelta(hours=1))
        self.add("down", status=CheckStatus.DOWN, last_ping=NOW - timedelta(hours=2))
        names = ("never", "old", "recent", "down")
        html = self.get("?sort=last_ping")
        self.assertEqual(self.order(html, *names), ["down", "old", "recent", "never"])
        html = self.get("?sort=-last_ping")
        self.assertEqual(self.order(html, *names), ["down", "never", "recent", "old"])

    def test_a_valid_sort_is_saved_in_the_viewers_profile(self) -> None:
        self.add("b", minutes_ago=2)
        self.add("a", minutes_ago=1)
        self.get("?sort=-name", user="rose")
        self.assertEqual(Profile.objects.get(user=self.rose).sort, "-name")
        self.assertEqual(Profile.objects.get(user=self.alice).sort, "created")
        # Later visits use it.
        self.assertEqual(self.order(self.get(user="rose"), "a", "b"), ["b", "a"])

    def test_an_unknown_sort_is_ignored(self) -> None:
        Profile.objects.filter(user=self.alice).update(sort="name")
        self.add("b", minutes_ago=2)
        self.add("a", minutes_ago=1)
        html = self.get("?sort=DROP TABLE")
        self.assertEqual(Profile.objects.get(user=self.alice).sort, "name")
        self.assertEqual(self.order(html, "a", "b"), ["a", "b"])

    def test_sort_headers_cycle_and_keep_the_filters(self) -> None:
        self.add("a", tags="db")
        html = self.get("?tag=db&search=x")
        self.assertIn('href="?sort=name&amp;tag=db&amp;search=x" data-sort="name"', html)
        self.assertIn('href="?sort=last_ping&amp;tag=db&amp;search=x" data-sort="last_ping"', html)
        html = self.get("?sort=name")
        self.assertIn('data-sort="-name"', html)
        self.assertIn('aria-sort="ascending"', html)
        html = self.get("?sort=-name")
        self.assertIn('data-sort="created"', html)
        self.assertIn('aria-sort="descending"', html)

    # Filters honoured on the first render (§6.5) --------------------------------------------

    def test_tag_filters_combine_with_and(self) -> None:
        both = self.add("both", tags="db prod")
        db_only = self.add("db only", tags="db")
        html = self.get("?tag=db&tag=prod")
        self.assertNotIn(" hidden>", self.row(html, both))
        self.assertIn(" hidden>", self.row(html, db_only))
        self.assertIn('class="btn btn-sm tag-pill up active" data-tag="db"', html)
        self.assertIn('aria-pressed="true">prod</button>', html)

    def test_tags_match_exactly(self) -> None:
        check = self.add("upper", tags="DB")
        self.assertIn(" hidden>", self.row(self.get("?tag=db"), check))

    def test_search_matches_name_slug_and_uuid(self) -> None:
        by_name = self.add("Nightly Backup")
        by_slug = self.add("x", slug="db-dump")
        other = self.add("other")
        html = self.get("?search=BACKUP")
        self.assertNotIn(" hidden>", self.row(html, by_name))
        self.assertIn(" hidden>", self.row(html, other))
        html = self.get("?search=dump")
        self.assertNotIn(" hidden>", self.row(html, by_slug))
        html = self.get(f"?search={str(other.code)[:8]}")
        self.assertNotIn(" hidden>", self.row(html, other))
        self.assertIn(" hidden>", self.row(html, by_name))
        self.assertIn('value="nightly"', self.get("?search=Nightly"))

    def test_status_filters_combine_with_or_and_started_matches_running(self) -> None:
        down = self.add("down", status=CheckStatus.DOWN)
        paused = self.add("paused", status=CheckStatus.PAUSED)
        running = self.add("running", status=CheckStatus.UP, last_ping=NOW, last_start=NOW)
        up = self.add("up", status=CheckStatus.UP, last_ping=NOW)
        html = self.get("?status=down&status=started&status=bogus")
        self.assertNotIn(" hidden>", self.row(html, down))
        self.assertNotIn(" hidden>", self.row(html, running))
        self.assertIn(" hidden>", self.row(html, paused))
        self.assertIn(" hidden>", self.row(html, up))
        self.assertIn('data-status-chip="down"', html)
        self.assertIn('data-status-chip="started"', html)
        self.assertNotIn('data-status-chip="bogus"', html)

    def test_filters_combine_and_the_empty_line_shows_when_nothing_matches(self) -> None:
        self.add("backup", tags="db", status=CheckStatus.DOWN)
        html = self.get("?tag=db&search=backup&status=up")
        self.assertIn('<p id="no-matches" class="no-matches">', html)
        html = self.get("?tag=db&search=backup&status=down")
        self.assertIn('<p id="no-matches" class="no-matches" hidden>', html)

    # URL style (§6.11) -------------------------------------------------------------------------

    def test_read_write_members_switch_the_url_style_for_the_project(self) -> None:
        self.add("backup", slug="backup")
        html = self.get("?urls=slug", user="bob")
        self.project.refresh_from_db()
        self.assertTrue(self.project.show_slugs)
        self.assertIn(f"https://ping.example.org/{PING_KEY}/backup", html)
        self.get("?urls=uuid", user="bob")
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)

    def test_read_only_members_cannot_switch_the_url_style(self) -> None:
        self.add("backup", slug="backup")
        html = self.get("?urls=slug", user="rose")
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)
        self.assertNotIn(f"/{PING_KEY}/backup", html)

    def test_unknown_url_styles_are_ignored(self) -> None:
        self.add("backup")
        self.get("?urls=weird")
        self.project.refresh_from_db()
        self.assertFalse(self.project.show_slugs)

    # Check allowance (§6.1) ---------------------------------------------------------------------

    def test_add_check_is_disabled_without_a_free_slot(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=2)
        self.add("one")
        self.add("two")
        html = self.get()
        self.assertIn('title="2 in use, 0 available"', html)
        self.assertIn("disabled>Add Check</button>", html)
        self.assertIn("This project uses all 2 checks your account allows.", html)
        html = self.get(user="bob")
        self.assertIn("contact the owner, alice@example.org.", html)

    def test_over_the_limit_shows_a_notice(self) -> None:
        Profile.objects.filter(user=self.alice).update(check_limit=1)
        self.add("one")
        self.add("two")
        html = self.get(user="rose")
        self.assertIn('id="over-limit"', html)
        self.assertIn("checks used <strong>2 of 1</strong>", html)

    def test_checks_in_the_owners_other_projects_count(self) -> None:
        other = self.project.__class__.objects.create(owner=self.alice, badge_key="other")
        Profile.objects.filter(user=self.alice).update(check_limit=2)
        Check.objects.create(project=other)
        self.add("one")
        self.assertIn('title="2 in use, 0 available"', self.get(user="bob"))
