"""Words that give a page away: gambling/betting spam and defacement signatures.

Terms are matched on lower-cased text, word-bounded (so "alphabet" is not "bet"), each
in its Vietnamese spelling and the same without diacritics ("cá cược" and "ca cuoc"):
spammers write both, while stripping the page's own diacritics instead would turn
ordinary words into terms ("tất cả đó" would read as "cá độ").

Weights: 2 for brand names and phrases only spam uses; 1 for words a government page may
use about gambling legitimately (a decree on casinos, police news on "cá độ").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Brand names of betting sites seen in .gov.vn spam, and phrases only spam uses.
STRONG = (
    "nhà cái",
    "nhà cái uy tín",
    "kèo nhà cái",
    "soi kèo",
    "nổ hũ",
    "tài xỉu",
    "game bài",
    "game bài đổi thưởng",
    "đổi thưởng",
    "xóc đĩa",
    "bắn cá đổi thưởng",
    "xổ số online",
    "lô đề online",
    "đánh bài online",
    "cá cược online",
    "cá cược bóng đá",
    "cá cược thể thao",
    "casino online",
    "casino trực tuyến",
    "slot game",
    "game slot",
    "slot online",
    "slot gacor",
    "judi online",
    "sportsbook",
    "sbobet",
    "w88",
    "fb88",
    "188bet",
    "kubet",
    "jun88",
    "789bet",
    "new88",
    "hi88",
    "shbet",
    "f8bet",
    "8xbet",
    "okvip",
    "bk8",
    "fun88",
    "dafabet",
    "vn88",
    "m88",
    "12bet",
    "v9bet",
    "typhu88",
    "sunwin",
    "go88",
    "hitclub",
    "b52club",
    "rikvip",
    "man88",
    "11bet",
    "cmd368",
    "ae888",
    "mu88",
    "oxbet",
    "33win",
    "78win",
    "j88",
    "hb88",
    "five88",
    "thabet",
    "bong88",
    "lucky88",
    "one88",
    "bet365",
    "1xbet",
    "debet",
    "kubet88",
    "xoso66",
    "8kbet",
)
# Words a clean page may carry in another sense or in news about gambling.
WEAK = (
    "cá cược",
    "cá độ",
    "đánh bài",
    "lô đề",
    "đánh đề",
    "casino",
    "slot",
    "slots",
    "bet",
    "betting",
    "baccarat",
    "poker",
    "roulette",
    "jackpot",
    "blackjack",
    "gambling",
    "judi",
    "togel",
    "gacor",
)
# Substrings that mark a gambling host name even inside a longer label ("vaofb88vn").
HOST_BRANDS = (
    "sbobet",
    "fb88",
    "188bet",
    "kubet",
    "jun88",
    "789bet",
    "new88",
    "shbet",
    "f8bet",
    "8xbet",
    "okvip",
    "fun88",
    "dafabet",
    "typhu88",
    "sunwin",
    "hitclub",
    "b52club",
    "rikvip",
    "man88",
    "cmd368",
    "ae888",
    "casino",
    "nhacai",
    "cacuoc",
    "nohu",
    "taixiu",
    "gamebai",
    "xocdia",
    "soikeo",
    "1xbet",
    "bet365",
)

# Defacement signatures: any of these in the page text is critical whatever the baseline.
DEFACE_STRONG = (
    r"hacked\s+by",
    r"h[a4]ck[e3]d\s*by",
    r"defaced\s+by",
    r"h4ck3d",
    r"h4x0r",
    r"hack\s+by",
    r"pwn[e3]d\s+by",
    r"zone-h\.(?:org|com)",
    r"tiến hành hack",
    r"bị hack bởi",
    r"your security is (?:low|poor|zero|shit)",
    r"greetz\s+to",
    r"deface[d]?\s+by",
)
# Weaker signatures: only in the title/headings or on a page with almost no text.
DEFACE_WEAK = (r"owned\s+by", r"was\s+here", r"greetz", r"hacked", r"security is an illusion")

_VN_D = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """'Cá cược' -> 'Ca cuoc' (Vietnamese letters to plain ASCII letters)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_VN_D))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _variants(terms: tuple[str, ...]) -> set[str]:
    return {t for term in terms for t in (term, strip_diacritics(term))}


def _alternation(words: set[str]) -> str:
    # Longest first, so "nhà cái uy tín" wins over "nhà cái"; spaces match any separator.
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s_\-+]+") for w in ordered)


_WEIGHTS: dict[str, int] = {}
for _term in STRONG:
    for _v in _variants((_term,)):
        _WEIGHTS[_v] = 2
for _term in WEAK:
    for _v in _variants((_term,)):
        _WEIGHTS.setdefault(_v, 1)

_GAMBLING = re.compile(
    rf"(?<![\w])({_alternation(set(_WEIGHTS))})(?![\w])", re.IGNORECASE | re.UNICODE
)
_HOST_BRAND = re.compile("|".join(map(re.escape, HOST_BRANDS)))
_DEFACE_STRONG = re.compile("|".join(DEFACE_STRONG), re.IGNORECASE)
_DEFACE_WEAK = re.compile("|".join(DEFACE_WEAK), re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s_\-+]+")


def _key(match: str) -> str:
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFC", match.lower()))


def gambling_terms(text: str) -> dict[str, int]:
    """The gambling terms in `text` → their weight (each distinct term once)."""
    if not text:
        return {}
    found: dict[str, int] = {}
    for match in _GAMBLING.findall(unicodedata.normalize("NFC", text)):
        key = _key(match)
        found[key] = _WEIGHTS.get(key, 1)
    return found


def gambling_score(text: str) -> int:
    return sum(gambling_terms(text).values())


@lru_cache(maxsize=65536)
def host_score(host: str) -> int:
    """2 when a host name carries a betting brand or word ('vao-fb88.example'), else 0."""
    if _HOST_BRAND.search(host):
        return 2
    return min(gambling_score(host.replace(".", " ")), 2)


def path_text(path: str) -> str:
    """'/uploads/nha-cai_uy-tin.html' -> 'uploads nha cai uy tin html' for term matching."""
    return re.sub(r"[/._\-+%]+|%20", " ", path)


def deface_markers(text: str, *, strong_only: bool = True) -> list[str]:
    """The defacement signatures found in `text` (the matched words, in order)."""
    pattern = _DEFACE_STRONG if strong_only else _DEFACE_WEAK
    return sorted({m.group(0).lower() for m in pattern.finditer(text)})
