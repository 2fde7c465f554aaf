"""The documentation pages: Markdown sources, rendered fragments, search (web spec §11.2-11.3).

Pages are written in Markdown (`templates/docs/<slug>.md`) and rendered ahead of
time into `<slug>.html-fragment` files by `manage.py render_docs`; the server
only reads the fragments and fills in a few placeholders (this site's name,
URLs and limits). `manage.py populate_searchdb` indexes the fragments into an
SQLite FTS5 database, `templates/docs/search.db`, that the search box queries.
Both outputs are committed; tests fail when either is stale.
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Python-Markdown ships no type information.
import markdown  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.html import escape

from hc.api.models.checks import DEFAULT_GRACE, DEFAULT_TIMEOUT

FRAGMENT_SUFFIX = ".html-fragment"
SLUG_RE = re.compile(r"[0-9a-z_]+")
# Pages about running the server talk about the settings by name: no placeholders there.
RAW_PREFIX = "self_hosted"
# Old API versions have pages, reachable by link only: not in the nav, not in search.
UNLISTED = frozenset({"apiv1", "apiv2"})
# Pages that moved: the old address keeps working.
MOVED = {"email_pings": "email"}
# Highlighted search matches are marked with these while the snippet is plain text.
_HIT_START, _HIT_END = "\x02", "\x03"
SEARCH_RESULTS = 8
QUERY_RE = re.compile(r"[0-9A-Za-z\s]{3,100}")


def docs_dir() -> Path:
    return Path(settings.BASE_DIR) / "templates" / "docs"


def search_db_path() -> Path:
    return docs_dir() / "search.db"


# Rendering ------------------------------------------------------------------


def render_markdown(text: str) -> str:
    """One page's HTML, exactly as render_docs writes it."""
    html_text: str = markdown.markdown(
        text,
        extensions=["fenced_code", "codehilite", "tables", "def_list", "attr_list", "toc"],
        extension_configs={"codehilite": {"css_class": "highlight", "guess_lang": False}},
    )
    return html_text + "\n"


def sources() -> dict[str, Path]:
    """slug -> Markdown source, for every page."""
    return {path.stem: path for path in sorted(docs_dir().glob("*.md"))}


def fragment_path(slug: str) -> Path:
    return docs_dir() / f"{slug}{FRAGMENT_SUFFIX}"


# Placeholders ---------------------------------------------------------------


def format_bytes(n: int) -> str:
    """10000 -> "10 kB", 2500 -> "2.5 kB", 1000000 -> "1 MB" (decimal units)."""
    for unit, size in (("MB", 1_000_000), ("kB", 1000)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def placeholders() -> dict[str, str]:
    """Placeholder -> this site's value (not yet HTML-escaped)."""
    site = urlsplit(settings.SITE_ROOT)
    limit = settings.PING_BODY_LIMIT
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_ROOT": settings.SITE_ROOT,
        "SITE_HOSTNAME": site.hostname or "",
        "SITE_SCHEME": site.scheme,
        "PING_ENDPOINT": settings.PING_ENDPOINT,
        "PING_URL": settings.PING_ENDPOINT + "your-uuid-here",
        "PING_BODY_LIMIT_FORMATTED": format_bytes(limit) if limit else "unlimited",
        "PING_BODY_LIMIT": str(limit) if limit else "unlimited",
        "IMG_URL": settings.STATIC_URL + "img/docs",
        "DEFAULT_TIMEOUT": str(int(DEFAULT_TIMEOUT.total_seconds())),
        "DEFAULT_GRACE": str(int(DEFAULT_GRACE.total_seconds())),
    }


def substitute(text: str, *, is_html: bool = True) -> str:
    """Fill in the placeholders: whole words only, values escaped for HTML."""
    values = {n: escape(v) if is_html else v for n, v in placeholders().items()}
    # Longest first, so PING_BODY_LIMIT_FORMATTED is not read as PING_BODY_LIMIT.
    # A name may run into lowercase text or digits ("PING_ENDPOINT<uuid>" is how
    # ping URLs are written), but not into more capitals: PING_URL_STR is not ours.
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(names) + r")(?![A-Z_])")
    return pattern.sub(lambda m: values[m.group(1)], text)


# Serving --------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    html: str


def title_of(fragment: str) -> str:
    """The first line of a fragment is its H1; that is the page title (plain text)."""
    first_line = fragment.split("\n", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", first_line)).strip()


def load_page(slug: str) -> Page | None:
    """The page to serve for this slug, or None if there is none."""
    if not SLUG_RE.fullmatch(slug):
        return None
    try:
        fragment = fragment_path(slug).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not slug.startswith(RAW_PREFIX):
        fragment = substitute(fragment)
    return Page(slug=slug, title=title_of(fragment), html=fragment)


@dataclass(frozen=True)
class NavLink:
    slug: str
    label: str


@dataclass(frozen=True)
class NavGroup:
    title: str
    links: tuple[NavLink, ...]


def _group(title: str, *links: tuple[str, str]) -> NavGroup:
    return NavGroup(title, tuple(NavLink(slug, label) for slug, label in links))


# The sidebar (web spec §11.2). The first group is titled with the site name;
# "cron" is the cheatsheet page, which is not a Markdown page.
NAV: tuple[NavGroup, ...] = (
    _group(
        "SITE_NAME",
        ("introduction", "Introduction"),
        ("configuring_checks", "Configuring checks"),
        ("configuring_notifications", "Configuring notifications"),
        ("projects_teams", "Projects and teams"),
        ("badges", "Badges"),
        ("filtering_rules", "Filtering rules"),
        ("two_factor_authentication", "Two-factor authentication"),
    ),
    _group(
        "API",
        ("http_api", "Pinging API"),
        ("api", "Management API"),
        ("api_integrations", "Integrations API"),
        ("slug_urls", "Slug URLs"),
    ),
    _group(
        "Guides",
        ("monitoring_cron_jobs", "Monitoring cron jobs"),
        ("monitoring_systemd_tasks", "Monitoring Systemd tasks"),
        ("signaling_failures", "Signaling failures"),
        ("measuring_script_run_time", "Measuring script run time"),
        ("attaching_logs", "Attaching logs"),
        ("cloning_checks", "Cloning checks"),
        ("autoprovisioning", "Auto provisioning"),
        ("configuring_prometheus", "Configuring Prometheus"),
    ),
    _group(
        "Pinging Examples",
        ("reliability_tips", "Reliability tips"),
        ("bash", "Shell scripts"),
        ("arduino", "Arduino"),
        ("network_routers", "Network Routers"),
        ("csharp", "C#"),
        ("email", "Email"),
        ("github_actions", "GitHub Actions"),
        ("go", "Go"),
        ("javascript", "Javascript"),
        ("php", "PHP"),
        ("powershell", "PowerShell"),
        ("python", "Python"),
        ("ruby", "Ruby"),
    ),
    _group("Developer Tools", ("resources", "Third-party resources")),
    _group(
        "Self-hosted",
        ("self_hosted", "Overview"),
        ("self_hosted_configuration", "Configuration"),
        ("self_hosted_docker", "Running with Docker"),
    ),
    _group("Reference", ("cron", "Cron syntax cheatsheet")),
)


def nav() -> tuple[NavGroup, ...]:
    """The sidebar with this site's name in it."""
    return tuple(NavGroup(substitute(g.title, is_html=False), g.links) for g in NAV)


# Search ---------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Visible text of a fragment, leaving out code blocks (<pre>)."""

    BLOCKS = frozenset(
        {"p", "li", "tr", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.pre_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.pre_depth:
            self.parts.append(data)


def searchable_text(fragment: str) -> str:
    """A fragment's text without its H1 and code blocks, whitespace collapsed."""
    body = fragment.split("\n", 1)[1] if "\n" in fragment else ""
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    return " ".join("".join(parser.parts).split())


@dataclass(frozen=True)
class IndexEntry:
    slug: str
    title: str
    body: str


def index_entries() -> list[IndexEntry]:
    """What populate_searchdb stores: every listed page, from its fragment.

    Placeholders are left in (the index is built once and shipped); titles and
    snippets get this site's values when a search answers.
    """
    entries = []
    for path in sorted(docs_dir().glob(f"*{FRAGMENT_SUFFIX}")):
        slug = path.name.removesuffix(FRAGMENT_SUFFIX)
        if slug in UNLISTED:
            continue
        fragment = path.read_text(encoding="utf-8")
        entries.append(IndexEntry(slug, title_of(fragment), searchable_text(fragment)))
    return entries


def build_search_db(path: Path) -> int:
    """Write a fresh index to `path` (replaced if present); returns the page count."""
    path.unlink(missing_ok=True)
    entries = index_entries()
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute(
                "CREATE VIRTUAL TABLE docs USING fts5(slug, title, body, tokenize='porter unicode61')"
            )
            con.executemany(
                "INSERT INTO docs (slug, title, body) VALUES (?, ?, ?)",
                [(e.slug, e.title, e.body) for e in entries],
            )
        con.execute("VACUUM")
    finally:
        con.close()
    return len(entries)


@dataclass(frozen=True)
class SearchResult:
    slug: str
    title: str
    snippet: str  # safe HTML


def valid_query(q: str) -> bool:
    return bool(QUERY_RE.fullmatch(q)) and bool(q.strip())


def _result(slug: str, title: str, snippet: str) -> SearchResult:
    marked = str(escape(snippet))
    if not slug.startswith(RAW_PREFIX):
        title, marked = substitute(title, is_html=False), substitute(marked)
    marked = marked.replace(_HIT_START, '<span class="search-hit">').replace(_HIT_END, "</span>")
    return SearchResult(slug, title, marked)


def search(q: str) -> list[SearchResult]:
    """The best matches for `q` as one phrase; [] for a query that is not allowed."""
    if not valid_query(q):
        return []
    # The query is letters, digits and spaces only: quoting makes it one phrase.
    phrase = '"' + " ".join(q.split()) + '"'
    uri = search_db_path().resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        rows = con.execute(
            "SELECT slug, title, snippet(docs, 2, ?, ?, '…', 10) FROM docs"
            " WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 10.0, 1.0) LIMIT ?",
            (_HIT_START, _HIT_END, phrase, SEARCH_RESULTS),
        ).fetchall()
    finally:
        con.close()
    return [_result(slug, title, text) for slug, title, text in rows]
