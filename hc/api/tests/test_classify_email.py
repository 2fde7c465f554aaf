"""classify_email(): keyword filtering of email pings (spec monitoring §9 step 3,
ping-api §13.4). Pure classification; the listener's tests cover the wiring."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage

from django.test import SimpleTestCase

from hc.api.classify import classify_email
from hc.api.models import Check, PingKind

SUCCESS, FAIL, START, IGN = PingKind.SUCCESS, PingKind.FAIL, PingKind.START, PingKind.IGNORED


def check(**fields: object) -> Check:
    defaults: dict[str, object] = {"success_kw": "OK", "failure_kw": "FAIL", "start_kw": "START"}
    return Check(**{**defaults, **fields})


def mail(subject: str | None = None, plain: str | None = None, html: str | None = None) -> bytes:
    msg = EmailMessage()
    if subject is not None:
        msg["Subject"] = subject
    if plain is not None:
        msg.set_content(plain)
    if html is not None:
        if plain is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return msg.as_bytes(policy=email.policy.SMTP)


class ClassifyEmailTestCase(SimpleTestCase):
    def test_without_filters_every_email_is_a_success(self) -> None:
        data = mail(subject="FAIL", plain="FAIL")
        self.assertEqual(classify_email(check(filter_http_body=True), data), SUCCESS)

    def test_without_filters_even_garbage_is_a_success(self) -> None:
        self.assertEqual(classify_email(check(), b"\xff\x00 not an email"), SUCCESS)

    def test_subject_keywords_in_precedence_order(self) -> None:
        c = check(filter_subject=True)
        for subject, kind in [
            ("START OK FAIL", FAIL),
            ("START OK", SUCCESS),
            ("START", START),
            ("nothing", IGN),
        ]:
            with self.subTest(subject=subject):
                self.assertEqual(classify_email(c, mail(subject=subject)), kind)

    def test_no_keyword_can_default_to_failure(self) -> None:
        c = check(filter_subject=True, filter_default_fail=True)
        self.assertEqual(classify_email(c, mail(subject="nothing")), FAIL)

    def test_a_missing_subject_matches_nothing(self) -> None:
        self.assertEqual(classify_email(check(filter_subject=True), mail(plain="OK")), IGN)

    def test_matching_is_case_sensitive_substring(self) -> None:
        c = check(filter_subject=True, success_kw=" , Done ,,")
        self.assertEqual(classify_email(c, mail(subject="AllDoneNow")), SUCCESS)
        self.assertEqual(classify_email(c, mail(subject="all done")), IGN)

    def test_subject_filter_ignores_the_body(self) -> None:
        c = check(filter_subject=True)
        self.assertEqual(classify_email(c, mail(subject="report", plain="OK")), IGN)

    def test_body_filter_ignores_the_subject(self) -> None:
        c = check(filter_body=True)
        self.assertEqual(classify_email(c, mail(subject="FAIL", plain="all OK")), SUCCESS)

    def test_both_filters_read_subject_and_body(self) -> None:
        c = check(filter_subject=True, filter_body=True)
        self.assertEqual(classify_email(c, mail(subject="OK", plain="FAIL")), FAIL)

    def test_encoded_word_subjects_are_decoded(self) -> None:
        c = check(filter_subject=True, success_kw="réussi")
        for raw in [
            b"Subject: =?utf-8?q?Sauvegarde_r=C3=A9ussie?=\r\n\r\n",
            b"Subject: =?UTF-8?B?U2F1dmVnYXJkZSByw6l1c3NpZQ==?=\r\n\r\n",
            b"Subject: =?iso-8859-1?q?Sauvegarde_r=E9ussie?=\r\n\r\n",
        ]:
            with self.subTest(raw=raw):
                self.assertEqual(classify_email(c, raw), SUCCESS)

    def test_keywords_split_across_encoded_words_still_match(self) -> None:
        raw = b"Subject: =?utf-8?q?Backup_O?= =?utf-8?q?K?=\r\n\r\n"
        self.assertEqual(classify_email(check(filter_subject=True), raw), SUCCESS)

    def test_html_only_bodies_are_converted_to_text(self) -> None:
        c = check(filter_body=True, success_kw="Backup complete")
        html = "<p>Backup\n   <b>complete</b></p><style>.FAIL{}</style><script>FAIL</script>"
        self.assertEqual(classify_email(c, mail(html=html)), SUCCESS)

    def test_plain_and_html_alternatives_are_both_read(self) -> None:
        c = check(filter_body=True)
        self.assertEqual(classify_email(c, mail(plain="START", html="<p>FAIL</p>")), FAIL)
        self.assertEqual(classify_email(c, mail(plain="FAIL", html="<p>OK</p>")), FAIL)

    def test_transfer_encodings_and_charsets_are_decoded(self) -> None:
        c = check(filter_body=True, success_kw="réussi")
        for raw in [
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\ncsOpdXNzaQ==\r\n",
            b"Content-Type: text/plain; charset=iso-8859-1\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\nr=E9ussi\r\n",
            b"Content-Type: text/plain; charset=iso-8859-1\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\nr\xe9ussi\r\n",
        ]:
            with self.subTest(raw=raw):
                self.assertEqual(classify_email(c, raw), SUCCESS)

    def test_attachments_are_not_read(self) -> None:
        msg = EmailMessage()
        msg.set_content("report attached")
        msg.add_attachment(b"FAIL", maintype="text", subtype="plain", filename="log.txt")
        data = msg.as_bytes(policy=email.policy.SMTP)
        self.assertEqual(classify_email(check(filter_body=True), data), IGN)

    def test_unknown_charsets_are_read_as_utf8(self) -> None:
        raw = b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nall OK \xff\r\n"
        self.assertEqual(classify_email(check(filter_body=True), raw), SUCCESS)

    def test_malformed_messages_never_raise(self) -> None:
        c = check(filter_subject=True, filter_body=True)
        for raw in [
            b"",
            b"\x00\xff\xfe garbage without headers",
            b"Subject: \xff\xfe OK \x80\r\n\r\n\xc3\x28\r\n",
            b"Subject: =?bogus?Q?x?= =?utf-8?B?!!!?= =?utf-8?Q?\r\n\r\n",
            b"Content-Type: multipart/mixed\r\n\r\nno boundary\r\n",
            b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n'
            b"Content-Type: text/html\r\n\r\n<p <<< </script",
            b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!*==\r\n",
            b"Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/x; boundary=\r\n",
            b"Content-Type: ;;;\r\nSubject:\r\n\r\nbody\r\n",
        ]:
            with self.subTest(raw=raw):
                self.assertIn(classify_email(c, raw), (SUCCESS, FAIL, START, IGN))

    def test_8_bit_garbage_around_a_keyword_still_matches(self) -> None:
        raw = b"Subject: \xff\xfe Backup OK \x80\r\n\r\n"
        self.assertEqual(classify_email(check(filter_subject=True), raw), SUCCESS)

    def test_a_message_the_standard_parser_rejects_is_read_laxly(self) -> None:
        # Python 3.11's header parser raises IndexError on this Content-Type.
        raw = (
            b"Subject: =?utf-8?q?Sauvegarde_r=C3=A9ussie?=\r\n"
            b'Content-Type: multipart/alternative; boundary="b"; a*\r\n\r\n'
            b"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\nd=E9marrage START\r\n"
            b"--b\r\nContent-Type: text/html\r\n\r\n<script>FAIL</script><p>O</p>K\r\n"
            b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nFAIL\r\n"
            b"--b--\r\n"
        )
        with self.assertLogs("hc.api.classify", "WARNING"):
            c = check(filter_subject=True, success_kw="réussie")
            self.assertEqual(classify_email(c, raw), SUCCESS)
        with self.assertLogs("hc.api.classify", "WARNING"):
            c = check(filter_body=True, start_kw="démarrage START", success_kw="O K")
            self.assertEqual(classify_email(c, raw), SUCCESS)
        with self.assertLogs("hc.api.classify", "WARNING"):
            c = check(filter_body=True, start_kw="démarrage START", success_kw="nothing")
            self.assertEqual(classify_email(c, raw), START)
