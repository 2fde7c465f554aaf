"""Shared pieces of the tests of hc.api.views.api_checks.

`ChecksApiTestCase` issues a read-write and a read-only key for Alice's
project and a read-write key for Charlie's, and sends requests the way API
clients do (key in the X-Api-Key header, JSON body).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hc.accounts.services import do_issue_api_key
from hc.api.models import Check
from hc.api.tests.api_base import ApiAssertions

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

VERSIONS = (1, 2, 3)
# Upstream's member order of a simple check seen with a read-write key.
FULL_FIELDS = [
    "name",
    "slug",
    "tags",
    "desc",
    "grace",
    "n_pings",
    "status",
    "started",
    "last_ping",
    "next_ping",
    "manual_resume",
    "methods",
    "subject",
    "subject_fail",
    "start_kw",
    "success_kw",
    "failure_kw",
    "filter_subject",
    "filter_body",
    "filter_http_body",
    "filter_default_fail",
    "badge_url",
    "uuid",
    "ping_url",
    "update_url",
    "pause_url",
    "resume_url",
    "channels",
    "timeout",
]
RW_ONLY_FIELDS = {"uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels"}


class ChecksApiTestCase(ApiAssertions):
    write_key: str
    read_key: str
    charlies_key: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.write_key = do_issue_api_key(cls.project, readonly=False)
        cls.read_key = do_issue_api_key(cls.project, readonly=True)
        cls.charlies_key = do_issue_api_key(cls.charlies_project, readonly=False)

    def get(self, path: str, key: str | None = None, version: int = 3) -> TestResponse:
        """GET /api/v<version>/<path> with the key in X-Api-Key (None: the write key)."""
        return self.client.get(f"/api/v{version}/{path}", headers=self._key(key))

    def post(
        self,
        path: str,
        body: Any = None,
        key: str | None = None,
        version: int = 3,
        content_type: str = "application/json",
    ) -> TestResponse:
        """POST a JSON body (bytes and str are sent as they are; None: empty body)."""
        if body is None:
            data: bytes | str = b""
        elif isinstance(body, bytes | str):
            data = body
        else:
            data = json.dumps(body)
        return self.client.post(
            f"/api/v{version}/{path}", data, content_type=content_type, headers=self._key(key)
        )

    def delete(self, path: str, key: str | None = None, version: int = 3) -> TestResponse:
        return self.client.delete(f"/api/v{version}/{path}", headers=self._key(key))

    def _key(self, key: str | None) -> dict[str, str]:
        return {"X-Api-Key": self.write_key if key is None else key}

    def reload(self, check: Check) -> Check:
        return Check.objects.get(id=check.id)
