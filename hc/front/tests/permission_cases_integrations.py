"""Permission matrix cases for the integrations area of the dashboard (web spec §2)."""

from __future__ import annotations

from hc.test_matrix import Case

CASES: list[Case] = []
