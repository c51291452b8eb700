"""Markdown written in the back office, rendered to sanitised HTML.

markdown-it-py renders CommonMark (plus tables and strikethrough; raw HTML allowed so that the
sanitiser, not the author, decides); nh3 then keeps only an allow-list of tags and attributes:
``<script>``/``<style>`` disappear with their content, event-handler attributes (``onerror=`` …) and
``style`` are dropped, and links and images keep only http, https and mailto URLs (or relative ones),
so ``javascript:`` links lose their target.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _markdown() -> MarkdownIt:
    """The renderer, made at the first Markdown rendered (markdown-it is not loaded at start-up)."""
    from markdown_it import MarkdownIt

    class _Markdown(MarkdownIt):
        """markdown-it that lets every link through: nh3 alone judges URLs, so a bad one loses its
        target (instead of staying behind as text)."""

        def validateLink(self, url: str) -> bool:
            return True

    return _Markdown("commonmark", {"html": True}).enable(["table", "strikethrough"])


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of ``html``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """``text`` (Markdown) as sanitised HTML, safe to insert into a page."""
    return sanitise_html(_markdown().render(text))
