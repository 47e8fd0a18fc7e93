"""Course text as HTML: Markdown rendered with raw HTML switched off.

markdown-it-py in its CommonMark mode with `html` off escapes every tag written in a
lesson, and its link check refuses `javascript:`, `vbscript:`, `file:` and `data:` links
(except images), so a lesson cannot carry script. Images named like a course file
(`![text](poster.png)`) point at that file.
"""

from __future__ import annotations

from collections.abc import Mapping

from markdown_it import MarkdownIt


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.enable("table")


_MD = _parser()


def render(text: str, files: Mapping[str, str] | None = None) -> str:
    """Markdown → safe HTML; `files` maps a course file's name to its URL."""
    env: dict[str, object] = {}
    tokens = _MD.parse(text or "", env)
    for token in tokens:
        for child in token.children or ():
            if child.type == "image" and files:
                src = str(child.attrGet("src") or "")
                if src in files:
                    child.attrSet("src", files[src])
            if child.type == "link_open":
                # Links in a lesson leave the site: no referrer, no access to this page.
                child.attrSet("rel", "noopener noreferrer nofollow")
    return _MD.renderer.render(tokens, _MD.options, env)
