"""Permission matrix cases for the front app's routes (web spec §2, §5.1, §5.4, §5.8).

Covers every route of hc/front/urls.py except robots.txt. Expectations follow
the spec; the runner is hc/accounts/tests/test_permission_matrix.py.
"""

from __future__ import annotations

from hc.test_matrix import LOGGED_IN, MEMBERS, Case

CASES: list[Case] = [
    # Self-hosted: no landing page, anonymous visitors go to the login form.
    Case("projects overview", "GET", lambda f: "/", LOGGED_IN),
    Case("projects overview status refresh", "GET", lambda f: "/?refresh=1", LOGGED_IN),
    Case("project menu", "GET", lambda f: "/projects/menu/", LOGGED_IN),
    Case("checks page", "GET", lambda f: f"/projects/{f.project.code}/checks/", MEMBERS),
]
