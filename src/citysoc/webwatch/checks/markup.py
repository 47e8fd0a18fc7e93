"""One parse per page, shared by every check: visible text, links, hidden elements.

`ParsedPage.of(page)` parses the body once with lxml; its properties compute each view
of the document once, on first use. Element selection is XPath; Python only looks at
the few elements XPath picked (styled, hidden, links).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from citysoc.webwatch.fetch import Page

# lxml ships no type information: its elements and documents are typed as this alias.
Element = Any

SNIPPET_CHARS = 600
# Second-level labels under which a name is registered one level deeper ("hanoi.gov.vn",
# "example.com.vn", "example.co.uk"). A small list instead of the full Public Suffix List:
# the checks only need "same organisation or not".
_SECOND_LEVEL = {
    "gov",
    "com",
    "net",
    "org",
    "edu",
    "ac",
    "co",
    "int",
    "info",
    "biz",
    "name",
    "pro",
    "health",
    "mil",
    "or",
    "ne",
    "go",
    "sch",
    "nic",
    "ltd",
    "plc",
    "gob",
    "gouv",
}
_TEXT_XPATH = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::template)]"
)
_LINK_XPATH = etree.XPath(
    "//a[@href] | //area[@href] | //iframe[@src] | //script[@src] | //form[@action]"
)
_CANDIDATE_XPATH = etree.XPath(
    "//*[@style] | //*[@hidden] | //*[@aria-hidden='true'] | //noscript | //marquee"
)
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*[a-z]*([.#])([\w-]+)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(px|em|rem|pt|%|vw|vh)?")
_OFF_SCREEN_PX = 500
_BLOCK_TAGS = {
    "div",
    "p",
    "ul",
    "ol",
    "td",
    "section",
    "footer",
    "header",
    "aside",
    "nav",
    "span",
    "center",
    "font",
    "table",
    "body",
    "article",
    "marquee",
    "noscript",
}


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """'sotttt.hanoi.gov.vn' -> 'hanoi.gov.vn'; 'a.b.example.com' -> 'example.com'."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@lru_cache(maxsize=262144)
def split_url(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), parts.path
    except ValueError:
        return "", ""


@dataclass(eq=False, slots=True)
class Link:
    """One outgoing reference of a page (a, area, iframe, script, form, meta refresh)."""

    url: str
    host: str
    path: str
    domain: str
    text: str
    tag: str
    element: object = None

    def snippet(self) -> str:
        return snippet(self.element) if self.element is not None else self.url


@dataclass(eq=False, slots=True)
class HiddenBlock:
    """An element a visitor does not see, why, and the links and text inside it."""

    element: object
    technique: str
    links: list[Link] = field(default_factory=list)
    text: str = ""


def snippet(element: Element) -> str:
    html: str = lxml.html.tostring(element, encoding="unicode", with_tail=False)
    return html if len(html) <= SNIPPET_CHARS else html[:SNIPPET_CHARS] + "…"


@lru_cache(maxsize=32)
def _parser(encoding: str) -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding=encoding, remove_comments=True)


def parse(page: Page) -> Element | None:
    """The lxml document of an HTML page, or None (not HTML, empty, unparseable)."""
    if not page.is_html:
        return None
    try:
        parser = _parser(page.encoding.lower())
    except LookupError:
        parser = _parser("utf-8")
    try:
        return lxml.html.document_fromstring(page.body, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        try:
            return lxml.html.document_fromstring(page.body, parser=_parser("utf-8"))
        except (etree.ParserError, ValueError):
            return None


def declarations(style: str) -> dict[str, str]:
    """'Display: None; color:#FFF' -> {'display': 'none', 'color': '#fff'}."""
    out = {}
    for part in style.lower().split(";"):
        name, sep, value = part.partition(":")
        if sep:
            out[name.strip()] = value.replace("!important", "").strip()
    return out


def _length(value: str) -> float | None:
    found = _NUMBER.match(value.strip())
    return float(found.group(1)) if found else None


def _tiny(value: str | None, limit: float = 1.0) -> bool:
    number = _length(value) if value else None
    return number is not None and number <= limit


def style_technique(decls: dict[str, str]) -> str | None:
    """The CSS trick that hides an element with these declarations, or None."""
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _tiny(decls.get("font-size"), 0.5):
        return "font-size:0"
    if _tiny(decls.get("opacity"), 0.05):
        return "opacity:0"
    for name in ("height", "width", "max-height", "max-width"):
        if _tiny(decls.get(name)):
            return f"{name}:0"
    if decls.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            number = _length(decls.get(side, ""))
            if number is not None and (number <= -_OFF_SCREEN_PX or number >= 5000):
                return f"position off-screen ({side}:{decls[side]})"
    indent = _length(decls.get("text-indent", ""))
    if indent is not None and indent <= -_OFF_SCREEN_PX:
        return "text-indent off-screen"
    if decls.get("clip", "").startswith("rect(0") or "inset(50%" in decls.get("clip-path", ""):
        return "clip to nothing"
    return None


def _background(decls: dict[str, str]) -> str:
    return decls.get("background-color") or decls.get("background", "").split(" ")[0]


def _same_colour_as_background(element: Element, decls: dict[str, str]) -> bool:
    colour = decls.get("color")
    if not colour:
        return False
    if _background(decls):
        return _background(decls) == colour
    for ancestor in element.iterancestors():
        style = ancestor.get("style")
        if style and _background(declarations(style)):
            return _background(declarations(style)) == colour
    return False


def element_technique(element: Element, class_rules: dict[str, str]) -> str | None:
    """Why `element` is invisible to a visitor (inline style, attribute, page CSS), or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    style = element.get("style")
    decls = declarations(style) if style else {}
    found = style_technique(decls) if decls else None
    if found:
        return found
    if decls and _same_colour_as_background(element, decls):
        return "text colour equals background"
    if element.get("hidden") is not None:
        return "hidden attribute"
    if element.get("aria-hidden") == "true":
        return "aria-hidden"
    if tag == "noscript":
        return "inside <noscript>"
    if tag == "marquee" and (
        _tiny(element.get("height"), 5)
        or _tiny(element.get("width"), 5)
        or _tiny(decls.get("height"), 5)
        or _tiny(decls.get("width"), 5)
    ):
        return "tiny <marquee>"
    for selector in _selectors(element):
        if selector in class_rules:
            return f"{class_rules[selector]} (page CSS {selector})"
    return None


def _selectors(element: Element) -> list[str]:
    names = [f".{c}" for c in (element.get("class") or "").split()]
    if element.get("id"):
        names.append(f"#{element.get('id')}")
    return names


def hiding_rules(doc: Element) -> dict[str, str]:
    """Class/id selectors that the page's own <style> blocks hide: {'.x': 'display:none'}."""
    rules: dict[str, str] = {}
    for css in doc.xpath("//style/text()"):
        for selectors, body in _STYLE_RULE.findall(css):
            technique = style_technique(declarations(body))
            if not technique:
                continue
            for selector in selectors.split(","):
                simple = _SIMPLE_SELECTOR.match(selector)
                if simple:
                    rules[simple.group(1) + simple.group(2)] = technique
    return rules


def _class_xpath(rules: dict[str, str]) -> str:
    parts = []
    for selector in rules:
        name = selector[1:].replace("'", "")
        if selector[0] == ".":
            parts.append(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
        else:
            parts.append(f"//*[@id='{name}']")
    return " | ".join(parts)


class ParsedPage:
    """A fetched page parsed once; each view (text, links, hidden blocks) computed once."""

    def __init__(self, page: Page, doc: Element, site_domains: frozenset[str]) -> None:
        self.page = page
        self.doc = doc
        self.url = page.final_url or page.url
        self.site_domains = site_domains

    @classmethod
    def of(cls, page: Page, site_domains: frozenset[str]) -> ParsedPage:
        return cls(page, parse(page), site_domains)

    @cached_property
    def base_url(self) -> str:
        bases = self.doc.xpath("//base/@href") if self.doc is not None else []
        return urljoin(self.url, bases[0].strip()) if bases else self.url

    @cached_property
    def title(self) -> str:
        if self.doc is None:
            return ""
        return " ".join((self.doc.findtext(".//title") or "").split())

    @cached_property
    def text_lines(self) -> list[str]:
        """Visible text, one line per text node, whitespace normalised, empty lines dropped."""
        if self.doc is None:
            return []
        lines = (" ".join(t.split()) for t in _TEXT_XPATH(self.doc))
        return [line for line in lines if line]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.text_lines)

    def is_external(self, link: Link) -> bool:
        return bool(link.host) and link.domain not in self.site_domains

    def link(self, raw: str, element: Element, tag: str, text: str = "") -> Link | None:
        raw = (raw or "").strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            return None
        url = urljoin(self.base_url, raw)
        host, path = split_url(url)
        if not host:
            return None
        return Link(url, host, path, registrable_domain(host), text, tag, element)

    @cached_property
    def links(self) -> list[Link]:
        """Every outgoing reference, absolute, in document order."""
        if self.doc is None:
            return []
        out = []
        for element in _LINK_XPATH(self.doc):
            tag = element.tag
            attr = {"a": "href", "area": "href", "form": "action"}.get(tag, "src")
            text = element.text_content() if tag == "a" else ""
            if element.get("title"):
                text = f"{text} {element.get('title')}"
            found = self.link(element.get(attr), element, tag, " ".join(text.split()))
            if found:
                out.append(found)
        return out

    @cached_property
    def links_by_element(self) -> dict[int, Link]:
        return {id(link.element): link for link in self.links}

    @cached_property
    def hidden_blocks(self) -> list[HiddenBlock]:
        """Invisible elements, outermost only, with the links and text inside them."""
        if self.doc is None:
            return []
        rules = hiding_rules(self.doc)
        candidates = _CANDIDATE_XPATH(self.doc)
        if rules:
            candidates = self.doc.xpath(_CANDIDATE_XPATH.path + " | " + _class_xpath(rules))
        blocks: list[HiddenBlock] = []
        inside: set[int] = set()
        for element in candidates:  # document order: an ancestor comes before its children
            if id(element) in inside:
                continue
            technique = element_technique(element, rules)
            if not technique:
                continue
            descendants = list(element.iter())
            inside.update(id(e) for e in descendants)
            links = [
                self.links_by_element[id(e)] for e in descendants if id(e) in self.links_by_element
            ]
            blocks.append(HiddenBlock(element, technique, links, element.text_content()))
        return blocks

    @cached_property
    def hidden_link_ids(self) -> set[int]:
        return {id(link) for block in self.hidden_blocks for link in block.links}


def block_of(element: Element) -> Element | None:
    """The nearest block-level ancestor that groups links (a list, a div, a cell)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _BLOCK_TAGS:
            return ancestor
    return None
