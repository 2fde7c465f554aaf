"""The committed docs outputs are fresh: fragments, search index, links (web spec §11.2-11.3).

Editing a Markdown page without running render_docs and populate_searchdb
fails these tests, so the docs served can never lag behind their sources.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings

from hc.front import docs

PLACEHOLDER = re.compile(
    r"\b(" + "|".join(sorted(docs.placeholders(), key=len, reverse=True)) + r")(?![A-Z_])"
)


class FragmentsTestCase(SimpleTestCase):
    def test_every_fragment_is_what_render_docs_would_write_now(self) -> None:
        for slug, source in docs.sources().items():
            with self.subTest(slug=slug):
                expected = docs.render_markdown(source.read_text(encoding="utf-8"))
                self.assertEqual(docs.fragment_path(slug).read_text(encoding="utf-8"), expected)

    def test_there_are_no_fragments_without_a_source(self) -> None:
        fragments = {p.name for p in docs.docs_dir().glob(f"*{docs.FRAGMENT_SUFFIX}")}
        self.assertEqual(fragments, {f"{slug}{docs.FRAGMENT_SUFFIX}" for slug in docs.sources()})

    def test_render_docs_check_mode_agrees(self) -> None:
        out = StringIO()
        call_command("render_docs", "--check", stdout=out)
        self.assertIn("up to date", out.getvalue())

    def test_render_docs_check_mode_reports_a_stale_fragment(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "templates" / "docs").mkdir(parents=True)
            (root / "templates" / "docs" / "new_page.md").write_text("# New page\n")
            with override_settings(BASE_DIR=root):
                with self.assertRaisesMessage(CommandError, "new_page.html-fragment"):
                    call_command("render_docs", "--check", stdout=StringIO())
                call_command("render_docs", stdout=StringIO())
                fragment = (root / "templates" / "docs" / "new_page.html-fragment").read_text()
        self.assertEqual(fragment, '<h1 id="new-page">New page</h1>\n')

    def test_every_page_starts_with_its_h1(self) -> None:
        for slug in docs.sources():
            with self.subTest(slug=slug):
                first_line = docs.fragment_path(slug).read_text().split("\n", 1)[0]
                self.assertRegex(first_line, r"^<h1 id=\"[a-z0-9-]+\">[^<]+</h1>$")

    def test_placeholders_survive_rendering_and_highlighting(self) -> None:
        # A placeholder split by syntax highlighting would be served as is.
        for slug, source in docs.sources().items():
            with self.subTest(slug=slug):
                written = PLACEHOLDER.findall(source.read_text())
                rendered = PLACEHOLDER.findall(docs.fragment_path(slug).read_text())
                self.assertEqual(len(rendered), len(written))

    def test_links_between_pages_and_to_headings_resolve(self) -> None:
        slugs = set(docs.sources()) | {"cron"}
        for slug in docs.sources():
            html = docs.fragment_path(slug).read_text()
            ids = set(re.findall(r' id="([^"]+)"', html))
            for target in re.findall(r'href="(?:SITE_ROOT/docs/|\.\./)([^"/]*)/?"', html):
                with self.subTest(slug=slug, target=target):
                    self.assertIn(target, slugs)
            for anchor in re.findall(r'href="#([^"]+)"', html):
                with self.subTest(slug=slug, anchor=anchor):
                    self.assertIn(anchor, ids)

    def test_pages_outside_self_hosted_link_through_site_root(self) -> None:
        # "../page/" breaks on /docs/ itself, where the introduction is served.
        for slug in docs.sources():
            if slug.startswith(docs.RAW_PREFIX):
                continue
            with self.subTest(slug=slug):
                self.assertNotIn('href="../', docs.fragment_path(slug).read_text())

    def test_the_nav_lists_existing_pages_and_every_listed_page_is_in_it(self) -> None:
        in_nav = {link.slug for group in docs.NAV for link in group.links}
        self.assertLessEqual(in_nav - {"cron"}, set(docs.sources()))
        self.assertEqual(set(docs.sources()) - in_nav, set(docs.UNLISTED))

    def test_pages_other_helpers_link_to_exist(self) -> None:
        for slug in (
            "signaling_failures",
            "measuring_script_run_time",
            "email",
            "filtering_rules",
            "configuring_notifications",
            "self_hosted_configuration",
            "two_factor_authentication",
            "api_integrations",
        ):
            self.assertIn(slug, docs.sources())


class SearchIndexTestCase(SimpleTestCase):
    def rows(self, path: Path) -> list[tuple[str, str, str]]:
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT slug, title, body FROM docs ORDER BY slug").fetchall()
        finally:
            con.close()

    def test_the_committed_index_matches_the_fragments(self) -> None:
        expected = [(e.slug, e.title, e.body) for e in docs.index_entries()]
        self.assertEqual(self.rows(docs.search_db_path()), sorted(expected))

    def test_the_index_leaves_out_old_api_versions_and_code(self) -> None:
        rows = {slug: body for slug, _, body in self.rows(docs.search_db_path())}
        self.assertNotIn("apiv1", rows)
        self.assertNotIn("apiv2", rows)
        self.assertIn("introduction", rows)
        self.assertNotIn("setInsecure", rows["arduino"])
        self.assertIn("ESP32", rows["arduino"])

    def test_the_index_uses_fts5_with_the_porter_tokenizer(self) -> None:
        con = sqlite3.connect(docs.search_db_path())
        try:
            (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'docs'").fetchone()
        finally:
            con.close()
        self.assertIn("fts5(slug, title, body, tokenize='porter unicode61')", sql)

    def test_populate_searchdb_builds_the_same_index(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "search.db"
            count = docs.build_search_db(target)
            self.assertEqual(count, len(docs.sources()) - len(docs.UNLISTED))
            self.assertEqual(self.rows(target), self.rows(docs.search_db_path()))
