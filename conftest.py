"""Test-wide settings that only make tests faster or quieter."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s per password; tests need correctness, not cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_PLAIN = (str, int, float, bool, type(None))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Let subTest() take any values under xdist.

    xdist ships each subtest's report to the controller with execnet, which
    only serialises plain types: a datetime or an enum among the subTest
    parameters would crash the report. Send their repr instead.
    """
    from _pytest.subtests import SubtestContext

    context = getattr(report, "context", None)
    if not isinstance(context, SubtestContext):
        return
    if all(type(value) in _PLAIN for value in context.kwargs.values()):
        return
    kwargs = {
        key: value if type(value) in _PLAIN else repr(value)
        for key, value in context.kwargs.items()
    }
    report.context = SubtestContext(msg=context.msg, kwargs=kwargs)  # type: ignore[attr-defined]
