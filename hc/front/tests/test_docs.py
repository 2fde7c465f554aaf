"""Documentation pages, docs search and the cron cheatsheet (web spec §11.2-11.4)."""

from __future__ import annotations

from django.test import override_settings

from hc.test import BaseTestCase


class DocsPageTestCase(BaseTestCase):
    def test_docs_root_serves_the_introduction(self) -> None:
        response = self.client.get("/docs/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Introduction - Mychecks</title>", html=True)
        self.assertContains(response, '<h1 id="introduction">Introduction</h1>', html=True)

    def test_it_serves_a_page_with_its_h1_as_title(self) -> None:
        response = self.client.get("/docs/measuring_script_run_time/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Measuring script run time - Mychecks</title>")
        # Markdown extensions: heading ids, highlighted code, tables.
        self.assertContains(response, '<h2 id="overlapping-runs-and-run-ids">')
        self.assertContains(response, '<div class="highlight"><pre>')

    def test_heading_ids_match_the_links_other_pages_use(self) -> None:
        response = self.client.get("/docs/filtering_rules/")
        self.assertContains(response, 'id="content-filtering"')

    def test_it_answers_404_for_unknown_and_malformed_slugs(self) -> None:
        for path in (
            "/docs/no_such_page/",
            "/docs/Introduction/",
            "/docs/configuring-checks/",
            "/docs/api.md/",
            "/docs/..%2Fsettings/",
            "/docs/search.db/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_moved_page_redirects_to_its_new_address(self) -> None:
        response = self.client.get("/docs/email_pings/")
        self.assertRedirects(response, "/docs/email/", status_code=301)

    @override_settings(
        SITE_NAME="Acme <Monitoring>",
        SITE_ROOT="https://hc.example.org",
        PING_ENDPOINT="https://ping.example.org/",
        PING_BODY_LIMIT=25000,
    )
    def test_it_fills_in_placeholders_escaped(self) -> None:
        response = self.client.get("/docs/attaching_logs/")
        self.assertContains(response, "Acme &lt;Monitoring&gt; stores it")
        self.assertContains(response, "https://ping.example.org/your-uuid-here/log")
        self.assertContains(response, "which on this server is\n25 kB;")
        self.assertNotContains(response, "PING_URL")
        self.assertNotContains(response, "SITE_NAME")
        # Links between pages go through SITE_ROOT.
        response = self.client.get("/docs/signaling_failures/")
        self.assertContains(response, 'href="https://hc.example.org/docs/filtering_rules/"')

    @override_settings(PING_BODY_LIMIT=None)
    def test_unlimited_ping_bodies_are_described_as_such(self) -> None:
        response = self.client.get("/docs/attaching_logs/")
        self.assertContains(response, "which on this server is\nunlimited;")

    @override_settings(SITE_NAME="Acme Monitoring")
    def test_self_hosted_pages_keep_setting_names(self) -> None:
        response = self.client.get("/docs/self_hosted_configuration/")
        self.assertContains(response, "<code>SITE_NAME</code>")
        self.assertContains(response, "<code>SITE_ROOT</code>")
        # The layout around it still uses the site's name.
        self.assertContains(response, "<title>Server configuration - Acme Monitoring</title>")

    def test_sidebar_lists_the_groups_and_marks_the_current_page(self) -> None:
        response = self.client.get("/docs/bash/")
        for group in (
            "Mychecks",
            "API",
            "Guides",
            "Pinging Examples",
            "Developer Tools",
            "Self-hosted",
            "Reference",
        ):
            self.assertContains(response, f'<h2 class="docs-nav-title">{group}</h2>')
        self.assertContains(
            response, '<a href="/docs/bash/" class="active" aria-current="page">Shell scripts</a>'
        )
        self.assertContains(response, '<a href="/docs/cron/">Cron syntax cheatsheet</a>')
        self.assertContains(response, 'placeholder="Search docs…"')
        self.assertContains(response, 'data-url="/docs/search/"')

    def test_old_api_versions_are_served_but_not_in_the_nav(self) -> None:
        response = self.client.get("/docs/apiv1/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Management API v1 - Mychecks</title>")
        self.assertNotContains(response, 'href="/docs/apiv1/"')

    def test_navbar_links_to_the_docs(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/accounts/profile/")
        self.assertContains(response, '<a class="nav-link" href="/docs/">Docs</a>', html=True)

    def test_only_safe_methods_are_allowed(self) -> None:
        self.assertEqual(self.client.post("/docs/").status_code, 405)
        self.assertEqual(self.client.post("/docs/bash/").status_code, 405)

    def test_it_works_for_logged_in_users_in_the_dark_theme(self) -> None:
        self.profile.theme = "dark"
        self.profile.save()
        self.client.force_login(self.alice)
        response = self.client.get("/docs/")
        self.assertContains(response, 'data-bs-theme="dark"')


class DocsSearchTestCase(BaseTestCase):
    def search(self, q: str) -> str:
        response = self.client.get("/docs/search/", {"q": q})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_finds_pages_and_highlights_matches(self) -> None:
        html = self.search("run time")
        self.assertIn("Search Results", html)
        # The page about it ranks first: title matches weigh most.
        first = html.index("<li>")
        self.assertIn('<a href="/docs/measuring_script_run_time/">', html[first : first + 300])
        self.assertIn('<span class="search-hit">run time', html)

    def test_it_returns_at_most_eight_results(self) -> None:
        html = self.search("check")
        self.assertEqual(html.count("<li>"), 8)

    def test_it_searches_for_the_words_as_a_phrase(self) -> None:
        self.assertIn("/docs/slug_urls/", self.search("slug urls"))
        self.assertIn("Nothing in the documentation matches", self.search("urls slug"))

    def test_it_skips_code_blocks(self) -> None:
        # Only in code: the ESP32 sketch's call.
        self.assertIn("Nothing in the documentation matches", self.search("setInsecure"))

    @override_settings(SITE_NAME="Acme Monitoring")
    def test_snippets_get_the_sites_values(self) -> None:
        html = self.search("measure the run time")
        self.assertIn('lets Acme Monitoring <span class="search-hit">measure the run time', html)
        self.assertNotIn("SITE_NAME", html)

    def test_it_rejects_queries_outside_the_allowed_shape(self) -> None:
        for q in ("ab", "  ", "cron*", 'run" OR "x', "NEAR(a b)", "café", "a" * 101, ""):
            with self.subTest(q=q):
                html = self.search(q)
                self.assertIn("Nothing in the documentation matches", html)
                self.assertNotIn("<li>", html)

    def test_it_accepts_the_longest_allowed_query(self) -> None:
        html = self.search("a" * 100)
        self.assertIn("Nothing in the documentation matches", html)

    def test_missing_q_is_an_empty_result(self) -> None:
        response = self.client.get("/docs/search/")
        self.assertContains(response, "Nothing in the documentation matches")

    def test_it_is_csrf_exempt_and_get_only(self) -> None:
        self.assertEqual(self.client.post("/docs/search/", {"q": "cron"}).status_code, 405)


class CronCheatsheetTestCase(BaseTestCase):
    def test_it_serves_the_cheatsheet_with_tester_and_examples(self) -> None:
        response = self.client.get("/docs/cron/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Cron Syntax Cheatsheet - Mychecks</title>")
        for heading in ("Basics", "Numeric values", "Ranges with a step", "Time zones"):
            self.assertContains(response, heading)
        self.assertContains(response, "Cron Expression Tester")
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        self.assertContains(response, 'id="cron-expression"')
        self.assertContains(response, "Common Cron Expressions")
        self.assertContains(response, 'data-expr="0 9 * * 1-5"')
        self.assertContains(response, '<a href="/docs/cron/" class="active" aria-current="page">')

    def test_tester_posts_to_the_cron_preview(self) -> None:
        response = self.client.get("/docs/cron/")
        self.assertContains(response, 'data-preview-url="/checks/cron_preview/"')

    def test_cron_page_has_its_own_description(self) -> None:
        response = self.client.get("/docs/cron/")
        self.assertContains(response, '<meta name="description" content="Cron syntax explained')
