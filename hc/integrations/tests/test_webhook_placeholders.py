"""Webhook placeholders in URL, body and header context (integrations spec §3.2.5-§3.2.6)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import time_machine

from hc.api.models import Channel, Check, CheckKind, Flip, Ping, PingKind
from hc.api.serializers import check_to_dict
from hc.integrations.webhook.placeholders import Context, Placeholders, check_json
from hc.test import BaseTestCase

FLIP_TIME = datetime(2025, 3, 1, 8, 15, 0, 123456, tzinfo=UTC)
URL, BODY, HEADER = Context.URL, Context.BODY, Context.HEADER


class PlaceholdersTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(
            project=self.project, name="Nightly backup", slug="nightly-backup", tags="prod db"
        )

    def render(self, template: str, context: Context, status: str = "down") -> str:
        flip = Flip(owner=self.check, created=FLIP_TIME, old_status="up", new_status=status)
        return Placeholders(flip).render(template, context)

    def rename(self, name: str) -> None:
        self.check.name = name
        self.check.save(update_fields=["name"])

    def ping(
        self, *, minutes: int = -1, body: bytes | None = None, exitstatus: int | None = None
    ) -> None:
        self.check.n_pings += 1
        self.check.save(update_fields=["n_pings"])
        Ping.objects.create(
            owner=self.check,
            n=self.check.n_pings,
            created=FLIP_TIME + timedelta(minutes=minutes),
            kind=PingKind.FAIL,
            body_raw=body,
            exitstatus=exitstatus,
        )

    # Plain values ---------------------------------------------------------------

    def test_code_status_and_slug_are_raw_everywhere(self) -> None:
        for context in Context:
            with self.subTest(context=str(context)):
                self.assertEqual(
                    self.render("$CODE/$STATUS/$SLUG", context),
                    f"{self.check.code}/down/nightly-backup",
                )
        self.assertEqual(self.render("$STATUS", BODY, status="up"), "up")

    def test_now_is_the_flip_time_in_utc_with_seconds(self) -> None:
        with time_machine.travel(FLIP_TIME + timedelta(hours=5)):
            self.assertEqual(self.render("$NOW", BODY), "2025-03-01T08:15:00+00:00")
            self.assertEqual(self.render("$NOW", HEADER), "2025-03-01T08:15:00+00:00")
            self.assertEqual(self.render("?t=$NOW", URL), "?t=2025-03-01T08%3A15%3A00%2B00%3A00")

    def test_name_is_raw_in_body_and_headers_and_encoded_in_urls(self) -> None:
        self.rename("a/b c:+?&=#@$%é")
        self.assertEqual(self.render("$NAME", BODY), "a/b c:+?&=#@$%é")
        self.assertEqual(self.render("$NAME", HEADER), "a/b c:+?&=#@$%é")
        self.assertEqual(
            self.render("/x/$NAME", URL), "/x/a/b%20c%3A%2B%3F%26%3D%23%40%24%25%C3%A9"
        )

    def test_an_empty_name_is_empty(self) -> None:
        self.rename("")
        self.assertEqual(self.render("[$NAME]", BODY), "[]")

    def test_name_json_is_a_json_string_literal(self) -> None:
        self.rename('Zürich "x"')
        self.assertEqual(self.render("$NAME_JSON", BODY), '"Z\\u00fcrich \\"x\\""')
        self.assertEqual(self.render("$NAME_JSON", HEADER), '"Z\\u00fcrich \\"x\\""')
        self.assertEqual(self.render("$NAME_JSON", URL), "%22Z%5Cu00fcrich%20%5C%22x%5C%22%22")

    def test_name_json_wins_over_name(self) -> None:
        self.assertEqual(self.render("$NAME_JSON|$NAME", BODY), '"Nightly backup"|Nightly backup')

    # Tags ------------------------------------------------------------------------

    def test_tags(self) -> None:
        self.assertEqual(self.render("$TAGS", BODY), "prod db")
        self.assertEqual(self.render("$TAGS", HEADER), "prod db")
        self.assertEqual(self.render("$TAGS", URL), "prod%20db")

    def test_numbered_tags_and_tags_beyond_the_last(self) -> None:
        self.assertEqual(self.render("$TAG1,$TAG2,$TAG3", BODY), "prod,db,$TAG3")
        self.assertEqual(self.render("/$TAG2/$TAG3", URL), "/db/$TAG3")
        self.assertEqual(self.render("$TAG0 $TAG01", BODY), "$TAG0 $TAG01")

    def test_tag_numbers_take_the_longest_match(self) -> None:
        self.check.tags = " ".join(f"t{n}" for n in range(1, 12))
        self.check.save(update_fields=["tags"])
        self.assertEqual(self.render("$TAG1 $TAG10 $TAG11 $TAG12", BODY), "t1 t10 t11 $TAG12")

    def test_tags_in_urls_are_encoded(self) -> None:
        self.check.tags = "a&b c/d"
        self.check.save(update_fields=["tags"])
        self.assertEqual(self.render("?t=$TAG1&u=$TAG2", URL), "?t=a%26b&u=c/d")

    # Substitution rules -----------------------------------------------------------

    def test_substituted_text_is_not_scanned_again(self) -> None:
        self.rename("$TAG1 $STATUS")
        self.assertEqual(self.render("$NAME", BODY), "$TAG1 $STATUS")
        self.assertEqual(self.render("/$NAME", URL), "/%24TAG1%20%24STATUS")

    def test_unknown_placeholders_and_lone_dollars_stay(self) -> None:
        self.assertEqual(
            self.render("$$NAME $name $FOO $ 5$", BODY), "$Nightly backup $name $FOO $ 5$"
        )

    def test_header_values_refer_to_characters_beyond_latin_1(self) -> None:
        self.rename("Zürich ā")
        self.assertEqual(self.render("$NAME", HEADER), "Zürich &#257;")
        self.assertEqual(self.render("ā½-$STATUS", HEADER), "&#257;½-down")
        self.assertEqual(self.render("$NAME", BODY), "Zürich ā")

    # The last ping: $BODY, $BODY_JSON, $EXITSTATUS -----------------------------

    def test_body_and_exit_status_of_the_last_ping(self) -> None:
        self.ping(minutes=-10, body=b"older", exitstatus=0)
        self.ping(minutes=-1, body='line 1\n"quoted" ü'.encode(), exitstatus=3)
        self.ping(minutes=+1, body=b"after the flip", exitstatus=9)
        self.assertEqual(self.render("$BODY", BODY), 'line 1\n"quoted" ü')
        self.assertEqual(self.render("$BODY_JSON", BODY), '"line 1\\n\\"quoted\\" \\u00fc"')
        self.assertEqual(self.render("$EXITSTATUS", BODY), "3")
        self.assertEqual(self.render("/$EXITSTATUS", URL), "/3")
        self.assertEqual(self.render("$EXITSTATUS", HEADER), "3")

    def test_the_body_is_never_truncated(self) -> None:
        self.ping(body=b"x" * 9000)
        self.assertEqual(self.render("$BODY", BODY), "x" * 9000)

    def test_an_undecodable_body_gets_replacement_characters(self) -> None:
        self.ping(body=b"ok \xff")
        self.assertEqual(self.render("$BODY", BODY), "ok \ufffd")

    def test_without_a_ping_or_a_body(self) -> None:
        self.assertEqual(self.render("[$BODY] $BODY_JSON $EXITSTATUS", BODY), '[] "" -1')
        self.ping(body=None, exitstatus=None)
        self.assertEqual(self.render("[$BODY] $BODY_JSON $EXITSTATUS", BODY), '[] "" -1')

    def test_the_body_stays_out_of_urls_and_headers(self) -> None:
        self.ping(body=b"secret")
        for context in (URL, HEADER):
            with self.subTest(context=str(context)):
                self.assertEqual(self.render("$BODY_JSON/$BODY", context), "$BODY_JSON/$BODY")

    def test_the_last_ping_is_looked_up_only_when_needed(self) -> None:
        self.ping(exitstatus=0)
        template = "$CODE $STATUS $NOW $NAME $NAME_JSON $SLUG $TAGS $TAG1 $TAG9 $BODY"
        with self.assertNumQueries(0):
            self.render(template, URL)
            self.render(template.replace(" $BODY", ""), BODY)
            self.render(template, HEADER)
        with self.assertNumQueries(1):
            self.render("$EXITSTATUS $EXITSTATUS", URL)
        with self.assertNumQueries(1):
            self.render("$BODY $BODY_JSON $EXITSTATUS", BODY)

    # $JSON -------------------------------------------------------------------------

    def test_json_is_the_api_check_document_on_one_line(self) -> None:
        channel = Channel.objects.create(project=self.project, kind="webhook")
        channel.checks.add(self.check)
        self.check.desc = "Zürich"
        self.check.save(update_fields=["desc"])
        document = self.render("$JSON", BODY)
        self.assertNotIn("\n", document)
        self.assertTrue(document.isascii())
        self.assertIn('"name": "Nightly backup", "slug": "nightly-backup"', document)
        self.assertIn('"desc": "Z\\u00fcrich"', document)
        parsed = json.loads(document)
        self.assertEqual(parsed, check_to_dict(self.check, version=3, readonly=False))
        self.assertEqual(list(parsed), list(check_to_dict(self.check, version=3, readonly=False)))
        self.assertEqual(parsed["channels"], str(channel.code))
        self.assertEqual(parsed["timeout"], 86400)
        self.assertEqual(self.render("$JSON", HEADER), document)
        self.assertEqual(json.loads(unquote(self.render("$JSON", URL))), parsed)

    def test_json_of_a_cron_check(self) -> None:
        self.check.kind = CheckKind.CRON
        self.check.schedule = "0 3 * * *"
        self.check.tz = "Europe/Riga"
        self.check.save()
        parsed = json.loads(self.render("$JSON", BODY))
        self.assertEqual((parsed["schedule"], parsed["tz"]), ("0 3 * * *", "Europe/Riga"))
        self.assertNotIn("timeout", parsed)

    def test_json_of_a_test_sends_unsaved_dummy_check(self) -> None:
        dummy = Check(name="TEST", n_pings=42, status="down", code=uuid.uuid4())
        dummy.project = self.project
        with self.assertNumQueries(1):
            parsed = json.loads(check_json(dummy))
        self.assertEqual(list(parsed), list(check_to_dict(self.check, version=3, readonly=False)))
        self.assertEqual(parsed["name"], "TEST")
        self.assertEqual(parsed["n_pings"], 42)
        self.assertEqual(parsed["status"], "down")
        self.assertEqual(parsed["uuid"], str(dummy.code))
        self.assertEqual(parsed["channels"], "")
        self.assertEqual(parsed["timeout"], 86400)
        self.assertIsNone(dummy.pk)  # left unsaved and untouched
