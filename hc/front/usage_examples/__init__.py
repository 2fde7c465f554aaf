"""The usage examples of the check details page (web spec §7.2).

Each snippet is a plain-text file here with placeholders: PING_URL (the
check's ping URL), CRON_SCHEDULE (its crontab schedule) and SCHEDULE_HINT
(a comment line shown only when the schedule had to be guessed). The
`pygmentize` management command highlights them into
templates/front/snippets/<name>.html, which are committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from hc.api.models import Check, CheckKind

SOURCE_DIR: Final = Path(__file__).resolve().parent
PLACEHOLDERS: Final = {
    "PING_URL": "ping_url",
    "CRON_SCHEDULE": "cron_schedule",
    "SCHEDULE_HINT": "schedule_hint",
}
# A line holding one of these is left out when the variable is empty.
CONDITIONAL: Final = ("SCHEDULE_HINT",)


@dataclass(frozen=True)
class Snippet:
    name: str
    lexer: str


SNIPPETS: Final = (
    Snippet("crontab", "bash"),
    Snippet("crontab_tail", "bash"),
    Snippet("bash_curl", "bash"),
    Snippet("bash_wget", "bash"),
    Snippet("python_urllib", "python"),
    Snippet("python_requests", "python"),
    Snippet("ruby", "ruby"),
    Snippet("node", "javascript"),
    Snippet("go", "go"),
    Snippet("php", "php"),
    Snippet("csharp", "csharp"),
    Snippet("browser", "javascript"),
    Snippet("powershell", "powershell"),
    Snippet("powershell_inline", "powershell"),
)


@dataclass(frozen=True)
class Tab:
    """One tab of the dialog: each block is (an intro sentence or "", a snippet name)."""

    slug: str
    label: str
    blocks: tuple[tuple[str, str], ...]
    # Hidden on phones, where the tab bar has room for the first four only.
    wide_only: bool = True


TABS: Final = (
    Tab(
        "crontab",
        "Crontab",
        (
            (
                "Add the ping to the end of the job's line in your crontab (<code>crontab -e</code>):",
                "crontab",
            ),
            (
                "Or copy just the part that pings, and append it to an existing line:",
                "crontab_tail",
            ),
        ),
        wide_only=False,
    ),
    Tab(
        "bash",
        "Bash",
        (("Ping with curl:", "bash_curl"), ("Or, where curl is missing, with wget:", "bash_wget")),
        wide_only=False,
    ),
    Tab(
        "python",
        "Python",
        (
            ("With the standard library only:", "python_urllib"),
            ("Or with the <code>requests</code> package:", "python_requests"),
        ),
        wide_only=False,
    ),
    Tab("ruby", "Ruby", (("", "ruby"),), wide_only=False),
    Tab("node", "Node.js", (("", "node"),)),
    Tab("go", "Go", (("", "go"),)),
    Tab("php", "PHP", (("", "php"),)),
    Tab("csharp", "C#", (("", "csharp"),)),
    Tab("browser", "Browser", (("", "browser"),)),
    Tab(
        "powershell",
        "PowerShell",
        (
            ("At the end of a PowerShell script:", "powershell"),
            ("Or as a one-liner, for a scheduled task's action:", "powershell_inline"),
        ),
    ),
)

# Simple periods that a crontab line can express exactly.
_EVERY_N_MINUTES: Final = (2, 3, 4, 5, 6, 10, 12, 15, 20, 30)
_EVERY_N_HOURS: Final = (2, 3, 4, 6, 8, 12)
GUESS_HINT: Final = (
    "This check has no cron schedule: change the schedule below to match when your job runs."
)


def crontab_schedule(check: Check) -> tuple[str, str]:
    """A crontab schedule for the check, and a hint when it is only a guess."""
    if check.kind == CheckKind.CRON:
        return check.schedule, ""
    if check.kind == CheckKind.SIMPLE:
        seconds = int(check.timeout.total_seconds())
        minutes, rest = divmod(seconds, 60)
        if rest == 0:
            if minutes == 1:
                return "* * * * *", ""
            if minutes in _EVERY_N_MINUTES:
                return f"*/{minutes} * * * *", ""
            hours, rest = divmod(minutes, 60)
            if rest == 0 and hours == 1:
                return "0 * * * *", ""
            if rest == 0 and hours in _EVERY_N_HOURS:
                return f"0 */{hours} * * *", ""
            if rest == 0 and hours == 24:
                return "0 0 * * *", ""
    return "* * * * *", GUESS_HINT


# Rendering (used by the pygmentize command and its freshness test) -----------------


def source(snippet: Snippet) -> str:
    return (SOURCE_DIR / f"{snippet.name}.txt").read_text()


def target(snippet: Snippet, templates_dir: Path) -> Path:
    return templates_dir / "front" / "snippets" / f"{snippet.name}.html"


def render(snippet: Snippet) -> str:
    """The snippet highlighted as a Django template fragment.

    Highlighted text stays inside {% verbatim %} so that braces in the code
    can never be read as template syntax; only the placeholders are not.
    """
    # Pygments ships no type hints; only this build-time step uses it.
    from pygments import highlight  # type: ignore[import-untyped]
    from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]
    from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]

    formatter = HtmlFormatter(nowrap=True)
    highlighted = highlight(source(snippet), get_lexer_by_name(snippet.lexer), formatter)
    lines = [_template_line(line) for line in highlighted.splitlines(keepends=True)]
    return "{% verbatim %}" + "".join(lines).rstrip("\n") + "{% endverbatim %}\n"


_PLACEHOLDER: Final = re.compile("|".join(PLACEHOLDERS))


def _template_line(line: str) -> str:
    text = _PLACEHOLDER.sub(
        lambda m: "{% endverbatim %}{{ " + PLACEHOLDERS[m.group(0)] + " }}{% verbatim %}", line
    )
    for name in CONDITIONAL:
        if name in line:
            var = PLACEHOLDERS[name]
            text = (
                "{% endverbatim %}{% if "
                + var
                + " %}{% verbatim %}"
                + text
                + "{% endverbatim %}{% endif %}{% verbatim %}"
            )
    return text
