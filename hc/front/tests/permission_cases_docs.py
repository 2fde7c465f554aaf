"""Permission matrix cases for the docs area of the dashboard (web spec §2).

Documentation, docs search, the cron cheatsheet, the TV dashboard and the
vCard are public: every actor, anonymous included, gets the page.
"""

from __future__ import annotations

from hc.test_matrix import ACTORS, Case, Expect

EVERYONE: dict[str, Expect] = dict.fromkeys(ACTORS, "ok")

CASES: list[Case] = [
    Case("docs introduction", "GET", lambda f: "/docs/", EVERYONE),
    Case("docs page", "GET", lambda f: "/docs/configuring_checks/", EVERYONE),
    Case("docs search", "GET", lambda f: "/docs/search/?q=cron", EVERYONE),
    Case("cron cheatsheet", "GET", lambda f: "/docs/cron/", EVERYONE),
    Case("tv dashboard", "GET", lambda f: "/tv/", EVERYONE),
    Case("contact vcard", "GET", lambda f: "/contact.vcf", EVERYONE),
]
