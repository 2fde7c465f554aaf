"""Shared pieces of the tests of hc.api.views.api_misc.

`ApiTestCase` issues keys for Alice's and Charlie's projects. `EndpointContract`
is the declarative part: a test case that mixes it in and sets `access`,
`methods` and `path()` gets the generic key, CORS, method and version tests of
management-api §1-§4 for its endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from hc.accounts.models import Project
from hc.accounts.services import do_issue_api_key
from hc.api.tests.api_base import ApiAssertions

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


class ApiTestCase(ApiAssertions):
    write_key: str
    read_key: str

    def setUp(self) -> None:
        super().setUp()
        self.write_key = do_issue_api_key(self.project, readonly=False)
        self.read_key = do_issue_api_key(self.project, readonly=True)

    def api_get(self, path: str, key: str | None = None, version: int = 3) -> TestResponse:
        """GET /api/v<version>/<path> with an X-Api-Key header (None: the write key)."""
        return self.client.get(
            f"/api/v{version}/{path}",
            HTTP_X_API_KEY=self.write_key if key is None else key,
        )


def legacy_keys(project: Project, *, write: str, read: str) -> None:
    """Give the project plain-text keys, as migrated from upstream databases."""
    project.api_key = write
    project.api_key_readonly = read
    project.save(update_fields=["api_key", "api_key_readonly"])


if TYPE_CHECKING:
    _Base = ApiTestCase
else:
    # At run time the contract is a plain mixin, so it is not collected alone.
    _Base = object


class EndpointContract(_Base):
    """Generic tests for one key-protected GET endpoint of the management API."""

    access: ClassVar[Literal["read", "write"]]
    methods: ClassVar[tuple[str, ...]] = ("GET",)

    if TYPE_CHECKING:

        def path(self) -> str:
            """The endpoint's path after /api/vN/, for an addressable object of Alice's."""
            ...

    def test_it_answers_in_every_api_version(self) -> None:
        for version in (1, 2, 3):
            with self.subTest(version=version):
                r = self.api_get(self.path(), version=version)
                self.assertEqual(r.status_code, 200)

    def test_an_unknown_api_version_is_404(self) -> None:
        self.assertEqual(self.api_get(self.path(), version=4).status_code, 404)

    def test_it_needs_a_key(self) -> None:
        r = self.client.get(f"/api/v3/{self.path()}")
        self.assert_error(r, 401, "missing api key")
        self.assert_cors(r, self.methods)

    def test_an_empty_key_header_counts_as_missing(self) -> None:
        self.assert_error(self.api_get(self.path(), key=""), 401, "missing api key")

    def test_a_key_of_the_wrong_length_counts_as_missing(self) -> None:
        for key in (self.write_key[:-1], self.write_key + "x"):
            with self.subTest(length=len(key)):
                self.assert_error(self.api_get(self.path(), key=key), 401, "missing api key")

    def test_an_unknown_key_is_rejected(self) -> None:
        key = "hcw_" + "x" * 28
        r = self.api_get(self.path(), key=key)
        self.assert_error(r, 401, "wrong api key")
        self.assert_cors(r, self.methods)

    def test_the_key_is_not_read_from_the_query_string(self) -> None:
        r = self.client.get(f"/api/v3/{self.path()}?api_key={self.write_key}")
        self.assert_error(r, 401, "missing api key")

    def test_it_accepts_the_read_write_key(self) -> None:
        self.assertEqual(self.api_get(self.path(), key=self.write_key).status_code, 200)

    def test_the_read_only_key_gets_what_the_access_matrix_says(self) -> None:
        r = self.api_get(self.path(), key=self.read_key)
        if self.access == "write":
            self.assert_error(r, 401, "wrong api key")
        else:
            self.assertEqual(r.status_code, 200)

    def test_legacy_plain_keys_work_like_prefixed_ones(self) -> None:
        legacy_keys(self.project, write="W" * 32, read="R" * 32)
        self.assertEqual(self.api_get(self.path(), key="W" * 32).status_code, 200)
        r = self.api_get(self.path(), key="R" * 32)
        if self.access == "write":
            self.assert_error(r, 401, "wrong api key")
        else:
            self.assertEqual(r.status_code, 200)

    def test_a_successful_response_has_cors_headers(self) -> None:
        r = self.api_get(self.path())
        self.assertEqual(r.status_code, 200)
        self.assert_cors(r, self.methods)

    def test_it_answers_a_preflight_without_a_key(self) -> None:
        r = self.client.options(f"/api/v3/{self.path()}")
        self.assert_empty(r, 204)
        self.assert_cors(r, self.methods)

    def test_other_methods_are_not_allowed(self) -> None:
        url = f"/api/v3/{self.path()}"
        for method in ("post", "put", "patch", "delete", "head"):
            with self.subTest(method=method):
                r = getattr(self.client, method)(url, HTTP_X_API_KEY=self.write_key)
                self.assert_empty(r, 405)
                self.assert_cors(r, self.methods)
