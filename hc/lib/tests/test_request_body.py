from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import SimpleTestCase, override_settings

from hc.lib.request_body import guard_body, read_chunks


def reader(*chunks: bytes) -> Callable[[], bytes]:
    queue = list(chunks)
    return lambda: queue.pop(0) if queue else b""


class ReadChunksTestCase(SimpleTestCase):
    def test_it_joins_chunks_until_the_end(self) -> None:
        self.assertEqual(read_chunks(reader(b"hello ", b"world"), 100), b"hello world")

    def test_it_stops_one_byte_past_the_limit(self) -> None:
        self.assertEqual(read_chunks(reader(b"abcd", b"efgh", b"ijkl"), 5), b"abcdef")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
class GuardBodyTestCase(SimpleTestCase):
    def run_app(self, environ: dict[str, Any], *chunks: bytes) -> dict[str, Any]:
        seen: dict[str, Any] = {}

        def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
            seen.update(env)
            seen["body"] = env["wsgi.input"].read(int(env.get("CONTENT_LENGTH") or 0))
            return []

        statuses: list[str] = []
        out = guard_body(app, reader(*chunks))(
            environ, lambda status, headers: statuses.append(status)
        )
        seen["status"] = statuses[0] if statuses else "app"
        seen["response"] = b"".join(out)
        return seen

    def test_it_sizes_a_chunked_body(self) -> None:
        seen = self.run_app({"HTTP_TRANSFER_ENCODING": "chunked"}, b"job ", b"done")
        self.assertEqual((seen["CONTENT_LENGTH"], seen["body"]), ("8", b"job done"))

    def test_it_leaves_sized_requests_alone(self) -> None:
        import io

        environ = {"CONTENT_LENGTH": "3", "wsgi.input": io.BytesIO(b"abc")}
        seen = self.run_app(environ, b"never read")
        self.assertEqual(seen["body"], b"abc")

    def test_it_refuses_a_malformed_content_length(self) -> None:
        for value in ["abc", "-5", " 3", "1e3", "٣"]:
            with self.subTest(value=value):
                seen = self.run_app({"CONTENT_LENGTH": value})
                self.assertEqual(seen["status"], "400 Bad Request")
                self.assertEqual(seen["response"], b"invalid content-length")
                self.assertNotIn("body", seen)

    def test_it_does_not_dechunk_without_uwsgi(self) -> None:
        import io

        seen: dict[str, Any] = {}

        def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
            seen.update(env)
            return []

        environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(b"")}
        guard_body(app)(environ, lambda *a: None)
        self.assertNotIn("CONTENT_LENGTH", seen)
