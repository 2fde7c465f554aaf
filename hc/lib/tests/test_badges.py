"""hc.lib.badges: signatures, URLs, state aggregation and SVG (management-api §8)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.core.signing import base64_hmac
from django.test import SimpleTestCase, override_settings

from hc.lib.badges import (
    BadgeCounts,
    BadgeState,
    badge_signature,
    badge_urls,
    encode_tag,
    is_two_state,
    render_svg,
    shields_body,
    shields_color,
    signature_matches,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"


@override_settings(SECRET_KEY="test-secret-key")
class SignatureTestCase(SimpleTestCase):
    def test_signatures_are_stable_for_a_fixed_secret_key(self) -> None:
        # Badge URLs already embedded in READMEs must keep working.
        self.assertEqual(badge_signature("alice", "*"), "ct9drcjS")
        self.assertEqual(badge_signature("alice", "prod"), "MH4YJHt3")
        self.assertEqual(badge_signature("alice", "db@dc1"), "YfXXyYl_")

    def test_it_agrees_with_djangos_salted_base64_hmac(self) -> None:
        for tag in ("*", "prod", "db@dc1", "ünïcode", "a b/c"):
            with self.subTest(tag=tag):
                expected = base64_hmac("alice", tag, "test-secret-key", algorithm="sha1")[:8]
                self.assertEqual(badge_signature("alice", tag), expected)

    def test_it_depends_on_the_badge_key_and_the_secret_key(self) -> None:
        self.assertNotEqual(badge_signature("alice", "prod"), badge_signature("bob", "prod"))
        with override_settings(SECRET_KEY="another-secret"):
            self.assertNotEqual(badge_signature("alice", "prod"), "MH4YJHt3")

    def test_only_the_first_eight_characters_are_compared(self) -> None:
        self.assertTrue(signature_matches("alice", "prod", "MH4YJHt3"))
        self.assertTrue(signature_matches("alice", "prod", "MH4YJHt3-2"))
        self.assertTrue(signature_matches("alice", "prod", "MH4YJHt3anything"))
        self.assertFalse(signature_matches("alice", "prod", "MH4YJHt"))
        self.assertFalse(signature_matches("alice", "prod", "MH4YJHt4"))
        self.assertFalse(signature_matches("alice", "staging", "MH4YJHt3"))

    def test_only_a_ten_character_signature_ending_in_dash_two_is_two_state(self) -> None:
        self.assertTrue(is_two_state("MH4YJHt3-2"))
        for signature in ("MH4YJHt3", "MH4YJHt3-3", "MH4YJHt3x-2", "MH4YJHt3-22", "MH4YJ-2"):
            with self.subTest(signature=signature):
                self.assertFalse(is_two_state(signature))


@override_settings(SECRET_KEY="test-secret-key", SITE_ROOT="https://hc.example.org")
class BadgeUrlsTestCase(SimpleTestCase):
    def test_it_returns_six_urls_for_a_tag(self) -> None:
        base = "https://hc.example.org/badge/alice/MH4YJHt3"
        self.assertEqual(
            badge_urls("alice", "prod"),
            {
                "svg": f"{base}-2/prod.svg",
                "svg3": f"{base}/prod.svg",
                "json": f"{base}-2/prod.json",
                "json3": f"{base}/prod.json",
                "shields": f"{base}-2/prod.shields",
                "shields3": f"{base}/prod.shields",
            },
        )

    def test_the_all_checks_urls_have_no_tag_segment(self) -> None:
        base = "https://hc.example.org/badge/alice/ct9drcjS"
        urls = badge_urls("alice", "*")
        self.assertEqual(urls["svg"], f"{base}-2.svg")
        self.assertEqual(urls["svg3"], f"{base}.svg")
        self.assertEqual(urls["shields3"], f"{base}.shields")

    def test_it_percent_encodes_tags_twice(self) -> None:
        urls = badge_urls("alice", "db@dc1")
        self.assertEqual(
            urls["svg"], "https://hc.example.org/badge/alice/YfXXyYl_-2/db%2540dc1.svg"
        )

    def test_unreserved_characters_stay_as_they_are(self) -> None:
        self.assertEqual(encode_tag("prod"), "prod")
        self.assertEqual(encode_tag("a.b_c-d~e"), "a.b_c-d~e")

    def test_reserved_and_non_ascii_characters_are_double_encoded(self) -> None:
        self.assertEqual(encode_tag("a/b"), "a%252Fb")
        self.assertEqual(encode_tag("50%"), "50%2525")
        self.assertEqual(encode_tag("ü"), "%25C3%25BC")


class BadgeCountsTestCase(SimpleTestCase):
    def test_no_checks_is_up(self) -> None:
        self.assertEqual(BadgeCounts().state(three_state=True), BadgeState.UP)

    def test_any_down_check_makes_it_down(self) -> None:
        counts = BadgeCounts(total=3, grace=1, down=1)
        self.assertEqual(counts.state(three_state=True), BadgeState.DOWN)
        self.assertEqual(counts.state(three_state=False), BadgeState.DOWN)

    def test_late_checks_are_late_only_on_three_state_badges(self) -> None:
        counts = BadgeCounts(total=3, grace=1, down=0)
        self.assertEqual(counts.state(three_state=True), BadgeState.LATE)
        self.assertEqual(counts.state(three_state=False), BadgeState.UP)

    def test_the_json_body_reports_all_counts(self) -> None:
        counts = BadgeCounts(total=3, grace=1, down=0)
        self.assertEqual(
            counts.as_json(three_state=False), {"status": "up", "total": 3, "grace": 1, "down": 0}
        )
        self.assertEqual(counts.as_json(three_state=True)["status"], "late")


class ShieldsTestCase(SimpleTestCase):
    def test_colours_follow_the_state(self) -> None:
        self.assertEqual(shields_color(BadgeState.UP), "success")
        self.assertEqual(shields_color(BadgeState.LATE), "important")
        self.assertEqual(shields_color(BadgeState.DOWN), "critical")

    def test_the_body_follows_the_endpoint_schema(self) -> None:
        self.assertEqual(
            shields_body("prod", BadgeState.DOWN),
            {"schemaVersion": 1, "label": "prod", "message": "down", "color": "critical"},
        )


class RenderSvgTestCase(SimpleTestCase):
    def parse(self, label: str, state: BadgeState) -> ET.Element:
        return ET.fromstring(render_svg(label, state))  # noqa: S314 (our own output)

    def test_it_is_well_formed_svg_twenty_pixels_high(self) -> None:
        root = self.parse("backups", BadgeState.UP)
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertEqual(root.get("height"), "20")

    def test_the_segments_are_grey_and_coloured_by_state(self) -> None:
        for state, colour in (
            (BadgeState.UP, "#4c1"),
            (BadgeState.LATE, "#fe7d37"),
            (BadgeState.DOWN, "#e05d44"),
        ):
            with self.subTest(state=state.value):
                fills = [rect.get("fill") for rect in self.parse("db", state).iter(f"{SVG}rect")]
                self.assertIn("#555", fills)
                self.assertIn(colour, fills)

    def test_it_shows_the_label_and_the_state(self) -> None:
        root = self.parse("backups", BadgeState.LATE)
        texts = [text.text for text in root.iter(f"{SVG}text")]
        # Each text is drawn twice: shadow, then the white text.
        self.assertEqual(texts, ["backups", "backups", "late", "late"])
        title = root.find(f"{SVG}title")
        assert title is not None
        self.assertEqual(title.text, "backups: late")

    def test_each_segment_is_as_wide_as_its_text_plus_ten_pixels(self) -> None:
        root = self.parse("backups", BadgeState.DOWN)
        rects = list(root.iter(f"{SVG}rect"))
        left, right = text_width("backups") + 10, text_width("down") + 10
        self.assertEqual(root.get("width"), str(left + right))
        self.assertIn((str(left), "#555"), [(r.get("width"), r.get("fill")) for r in rects])
        self.assertIn((str(left), str(right)), [(r.get("x"), r.get("width")) for r in rects])

    def test_character_widths_vary_between_narrow_and_wide_letters(self) -> None:
        self.assertEqual(text_width("i"), 3)
        self.assertEqual(text_width("m"), 11)
        self.assertEqual(text_width("\N{SNOWMAN}"), 7)
        self.assertLess(text_width("illicit"), text_width("MWMWMWM"))

    def test_markup_in_the_label_is_escaped(self) -> None:
        label = "<b>R&D</b> \"quoted\" 'single'"
        root = self.parse(label, BadgeState.UP)
        self.assertEqual(next(root.iter(f"{SVG}text")).text, label)

    def test_characters_xml_cannot_carry_are_dropped(self) -> None:
        root = self.parse("back\x00up\x1bs", BadgeState.UP)
        self.assertEqual(next(root.iter(f"{SVG}text")).text, "backups")
