"""Turning HTML into plain text, for keyword matching in HTML email bodies."""

from __future__ import annotations

from html.parser import HTMLParser

# Content of these elements is code, not text a reader sees.
_HIDDEN = frozenset({"script", "style"})

# Elements that start a new line when rendered: their boundaries separate
# words ("<p>Backup</p><p>OK</p>" reads "Backup OK", not "BackupOK"), while
# inline markup does not ("<b>FAIL</b>ED" stays "FAILED").
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    }
)  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.chunks.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closing <script/> has no content to hide.
        if tag in _BLOCKS:
            self.chunks.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, whitespace runs collapsed to one space.

    Tags and comments are dropped, entities decoded, and the content of
    <script> and <style> left out. Never raises on malformed markup.
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.chunks).split())
