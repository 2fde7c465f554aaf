"""hc.lib.html: the visible text of HTML email bodies."""

from __future__ import annotations

from django.test import SimpleTestCase

from hc.lib.html import html_to_text


class HtmlToTextTestCase(SimpleTestCase):
    def test_it_removes_tags(self) -> None:
        self.assertEqual(html_to_text('<p class="x">Backup <b>done</b></p>'), "Backup done")

    def test_it_drops_script_and_style_content(self) -> None:
        html = (
            "<html><head><style>p { color: red } /* FAIL */</style>"
            "<script type='text/javascript'>if (a < b) { FAIL() }</script></head>"
            "<body>All good<SCRIPT>FAIL</SCRIPT></body></html>"
        )
        self.assertEqual(html_to_text(html), "All good")

    def test_an_unclosed_script_hides_the_rest(self) -> None:
        self.assertEqual(html_to_text("visible<script>FAIL"), "visible")

    def test_it_collapses_whitespace(self) -> None:
        html = "  Backup \n\n\t  finished&nbsp;&nbsp;in\r\n 5 s  "
        self.assertEqual(html_to_text(html), "Backup finished in 5 s")

    def test_it_decodes_entities(self) -> None:
        self.assertEqual(html_to_text("a &lt;b&gt; &amp; &#233;&#x2713;"), "a <b> & é✓")

    def test_block_elements_separate_words(self) -> None:
        html = "<div>Backup</div><div>OK</div>line<br>break<table><tr><td>a</td><td>b</td></tr></table>"
        self.assertEqual(html_to_text(html), "Backup OK line break a b")

    def test_inline_elements_do_not_separate_words(self) -> None:
        self.assertEqual(html_to_text("<b>FAIL</b><i>ED</i> <span>x</span>"), "FAILED x")

    def test_it_drops_comments_and_doctype(self) -> None:
        self.assertEqual(html_to_text("<!DOCTYPE html><!-- FAIL -->text"), "text")

    def test_it_survives_malformed_markup(self) -> None:
        for html in ["<p <<< </script <b>text", "</div></style>text", "<", "&#99999999;", ""]:
            with self.subTest(html=html):
                self.assertIsInstance(html_to_text(html), str)
        self.assertEqual(html_to_text("</style></script>text"), "text")

    def test_self_closing_script_hides_nothing(self) -> None:
        self.assertEqual(html_to_text("<script src='x.js'/>text"), "text")
