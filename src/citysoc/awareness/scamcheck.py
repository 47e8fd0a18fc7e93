"""The scam checker's rules: a URL, domain, phone number or message → a verdict with reasons.

No Django and no network here: nothing given is ever fetched or resolved. Known-bad lists
come in through `lookup` (the app passes its scam lists and the intel domain indicators);
the rest are heuristics: look-alikes of `.gov.vn` and bank domains (edit distance and
confusable letters), IDN homographs (letters of another script that look Latin), shortened
links, gambling names, and the phrasing of the scams seen around Tết.

Each reason is a code with a level (`safe`, `suspicious`, `dangerous`) and a detail; the
app words it in the user's language. The verdict is the worst level found, or `unknown`.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import SplitResult, urlsplit

SAFE, SUSPICIOUS, DANGEROUS, UNKNOWN = "safe", "suspicious", "dangerous", "unknown"
INFO = "info"  # worth saying, changes nothing
VERDICTS = (SAFE, SUSPICIOUS, DANGEROUS, UNKNOWN)
_RANK = {SAFE: 1, SUSPICIOUS: 2, DANGEROUS: 3}

# Official domains people are tricked into trusting. A name under one of them is genuine.
OFFICIAL = {
    # banks
    "vietcombank.com.vn": "Vietcombank",
    "bidv.com.vn": "BIDV",
    "vietinbank.vn": "VietinBank",
    "agribank.com.vn": "Agribank",
    "techcombank.com.vn": "Techcombank",
    "mbbank.com.vn": "MB",
    "vpbank.com.vn": "VPBank",
    "acb.com.vn": "ACB",
    "sacombank.com.vn": "Sacombank",
    "tpb.vn": "TPBank",
    "shb.com.vn": "SHB",
    "hdbank.com.vn": "HDBank",
    "vib.com.vn": "VIB",
    "sbv.gov.vn": "State Bank of Vietnam",
    # public services, post and delivery often impersonated
    "vnpost.vn": "Vietnam Post",
    "ghn.vn": "Giao Hàng Nhanh",
    "ghtk.vn": "Giao Hàng Tiết Kiệm",
    "evn.com.vn": "EVN",
    "vietnamairlines.com": "Vietnam Airlines",
    "dsvn.vn": "Vietnam Railways",
    "zalo.me": "Zalo",
}
GOV_SUFFIX = "gov.vn"
# Brand words that only belong in their own domain (a bank's name in another domain).
BRANDS = {
    "vietcombank": "vietcombank.com.vn",
    "bidv": "bidv.com.vn",
    "vietinbank": "vietinbank.vn",
    "agribank": "agribank.com.vn",
    "techcombank": "techcombank.com.vn",
    "mbbank": "mbbank.com.vn",
    "vpbank": "vpbank.com.vn",
    "sacombank": "sacombank.com.vn",
    "tpbank": "tpb.vn",
    "hdbank": "hdbank.com.vn",
    "vnpost": "vnpost.vn",
    "vietnamairlines": "vietnamairlines.com",
    "vneid": "vneid.gov.vn",
    "dichvucong": "dichvucong.gov.vn",
    "bocongan": "bocongan.gov.vn",
    "chinhphu": "chinhphu.vn",
}
OFFICIAL["chinhphu.vn"] = "Government portal"
SHORTENERS = frozenset(
    ["bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "cutt.ly", "rebrand.ly", "shorturl.at",
     "s.id", "rb.gy", "tiny.cc", "ow.ly", "buff.ly", "t.ly", "v.gd", "bitly.com", "shorten.asia"]
)  # fmt: skip
# Online gambling is illegal in Viet Nam; these names are the betting sites' own.
GAMBLING = re.compile(
    r"casino|nohu|taixiu|tai-xiu|gamebai|game-bai|danhbai|danh-bai|lode|"
    r"(?:^|[^a-z])(?:fb|w|jun|hi|new|sv3|f8|789|kubet|kubet|ku)(?:88|bet|win)|bet\d|\d+bet|cado"
)
# Two-part suffixes under which the registrable name is the label before them.
SUFFIXES_2 = frozenset(
    ["com.vn", "net.vn", "org.vn", "gov.vn", "edu.vn", "int.vn", "ac.vn", "biz.vn", "info.vn",
     "name.vn", "pro.vn", "health.vn", "co.uk", "com.cn"]
)  # fmt: skip
# Letters of other scripts (and Latin look-alikes) that read as Latin letters.
CONFUSABLE = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ո": "n", "ν": "v", "ο": "o",
        "α": "a", "ε": "e", "κ": "k", "τ": "t", "ι": "i", "ь": "b", "т": "t", "м": "m",
        "0": "o", "1": "l", "3": "e", "5": "s", "!": "i", "|": "l",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """Why: a code the app words, a level, and the part of the input it is about."""

    code: str
    level: str
    detail: str = ""


@dataclass(frozen=True)
class Check:
    """The verdict on one input, with what the input was taken to be."""

    kind: str  # url, domain, phone, message, empty
    value: str  # normalised: what is counted for trends
    verdict: str
    reasons: tuple[Reason, ...]


Lookup = Callable[[str, list[str]], list[tuple[str, str]]]
"""(kind, candidate values) → [(value found, list name)] from the known-bad lists."""


def _no_lists(kind: str, values: list[str]) -> list[tuple[str, str]]:
    return []


def check(text: str, lookup: Lookup = _no_lists) -> Check:
    """Classify `text` and run the rules for its kind."""
    text = (text or "").strip()[:2000]
    kind = classify(text)
    if kind == "empty":
        return Check("empty", "", UNKNOWN, ())
    if kind == "phone":
        value = normalize_phone(text)
        reasons = check_phone(value, lookup)
    elif kind in ("url", "domain"):
        value, reasons = _check_address(text, kind, lookup)
    else:
        value = " ".join(text.split())[:300]
        reasons = check_message(text, lookup)
    unique = tuple(dict.fromkeys(reasons))  # a message may name one host twice
    return Check(kind, value, verdict_of(unique), unique)


def verdict_of(reasons: Iterable[Reason]) -> str:
    worst = max((_RANK.get(r.level, 0) for r in reasons), default=0)
    return {0: UNKNOWN, 1: SAFE, 2: SUSPICIOUS, 3: DANGEROUS}[worst]


_PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|\b[\w-]+(?:\.[\w-]+)+/[^\s<>\"']*", re.I)
_DOMAIN_IN_TEXT = re.compile(r"\b(?:[\w-]+\.)+[a-z]{2,}\b", re.I)
_PHONE_IN_TEXT = re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\d])")


def classify(text: str) -> str:
    if not text:
        return "empty"
    if _PHONE.match(text) and 8 <= len(re.sub(r"\D", "", text)) <= 15:
        return "phone"
    if " " not in text and "\n" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I) or "/" in text or "@" in text:
            return "url"
        if "." in text:
            return "domain"
    return "message"


def normalize_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") and digits.startswith("84"):
        return "0" + digits[2:]
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return ("+" if text.strip().startswith("+") else "") + digits


def check_phone(value: str, lookup: Lookup = _no_lists) -> list[Reason]:
    reasons = [Reason("listed", DANGEROUS, name) for _v, name in lookup("phone", [value])]
    digits = value.lstrip("+")
    if value.startswith("+"):
        reasons.append(Reason("foreign_phone", SUSPICIOUS, value))
    elif digits.startswith("1900"):
        reasons.append(Reason("premium_phone", SUSPICIOUS, value))
    elif not re.fullmatch(r"0\d{9}", digits) and not digits.startswith("1800"):
        reasons.append(Reason("odd_phone", SUSPICIOUS, value))
    return reasons


def _check_address(text: str, kind: str, lookup: Lookup) -> tuple[str, list[Reason]]:
    raw = text if kind == "domain" or "://" in text else "http://" + text
    try:
        parts = urlsplit(raw if kind == "url" else "http://" + text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return text[:300], [Reason("unreadable", SUSPICIOUS, text[:100])]
    reasons: list[Reason] = []
    if kind == "url":
        reasons += _url_reasons(text, parts)
        reasons += [Reason("listed", DANGEROUS, n) for _v, n in lookup("url", [_url_key(raw)])]
    ascii_host, host_reasons = check_domain(host, lookup)
    value = _url_key(raw) if kind == "url" else ascii_host
    return value[:300], reasons + host_reasons


def _url_key(url: str) -> str:
    """The URL as lists keep it: no scheme, no query, no trailing slash, lower-case host."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path}".rstrip("/")


def _url_reasons(raw: str, parts: SplitResult) -> list[Reason]:
    reasons = []
    if parts.username or "@" in parts.netloc:
        reasons.append(Reason("userinfo", DANGEROUS, parts.netloc))
    if parts.scheme.lower() not in ("http", "https"):
        reasons.append(Reason("scheme", DANGEROUS, parts.scheme))
    elif parts.scheme.lower() == "http" and raw.lower().startswith("http://"):
        reasons.append(Reason("no_tls", SUSPICIOUS, ""))
    return reasons


def to_ascii(host: str) -> str:
    try:
        return host.lower().encode("idna").decode("ascii")
    except UnicodeError:
        return host.lower()


def to_unicode(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def check_domain(host: str, lookup: Lookup = _no_lists) -> tuple[str, list[Reason]]:
    """(the name in ASCII, reasons) for a host name: lists first, then the look-alike rules."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return "", [Reason("unreadable", SUSPICIOUS, "")]
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host, [Reason("ip_host", SUSPICIOUS, host)]
    except ValueError:
        pass
    ascii_host = to_ascii(host)
    shown = to_unicode(ascii_host)
    candidates = _parents(ascii_host)
    reasons = [Reason("listed", DANGEROUS, n) for _v, n in lookup("domain", candidates)]
    official = _official_parent(candidates)
    if official:
        if not reasons:
            reasons.append(Reason("official", SAFE, OFFICIAL.get(official, official)))
        return ascii_host, reasons
    reasons += _idn_reasons(ascii_host, shown)
    reasons += _lookalike_reasons(ascii_host, shown)
    if ascii_host in SHORTENERS or _registrable(ascii_host) in SHORTENERS:
        reasons.append(Reason("shortener", SUSPICIOUS, ascii_host))
    if GAMBLING.search(ascii_host):
        reasons.append(Reason("gambling", DANGEROUS, ascii_host))
    return ascii_host, reasons


def _parents(name: str) -> list[str]:
    labels = name.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [name]


def _official_parent(candidates: list[str]) -> str:
    for name in candidates:
        if name in OFFICIAL or name == GOV_SUFFIX or name.endswith("." + GOV_SUFFIX):
            return name
    return ""


def _registrable(name: str) -> str:
    labels = name.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in SUFFIXES_2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _label(name: str) -> str:
    """The name a person reads: 'vietcombank' of 'ib.vietcombank.com.vn'."""
    return _registrable(name).split(".")[0]


def skeleton(text: str) -> str:
    """The letters a reader sees: confusables folded, hyphens dropped, 'rn' read as 'm'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", text).translate(CONFUSABLE)
    return folded.replace("rn", "m").replace("vv", "w").replace("-", "")


def _idn_reasons(ascii_host: str, shown: str) -> list[Reason]:
    if "xn--" not in ascii_host:
        return []
    scripts = {_script(c) for c in shown if c.isalpha()}
    target = _imitates(shown)
    if target:
        return [Reason("homograph", DANGEROUS, f"{shown} ≈ {target}")]
    if "LATIN" in scripts and len(scripts) > 1:
        return [Reason("mixed_scripts", DANGEROUS, shown)]
    return [Reason("idn", INFO, shown)]


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ")[0]
    except ValueError:
        return "UNKNOWN"


@cache
def _shapes() -> tuple[tuple[str, str, str], ...]:
    """(brand word, its skeleton, official domain) for every brand and official name."""
    words = list(BRANDS.items()) + [(_label(o), o) for o in OFFICIAL]
    return tuple((word, skeleton(word), official) for word, official in words)


def _imitates(folded_host: str) -> str:
    """The official name or brand that a folded name spells, if any."""
    label = skeleton(_label(folded_host))
    return next((official for _w, shape, official in _shapes() if label == shape), "")


def _lookalike_reasons(ascii_host: str, shown: str) -> list[Reason]:
    reasons: list[Reason] = []
    labels = ascii_host.split(".")
    if "gov" in labels or any(re.search(r"(^|-)gov(vn)?($|-)|govvn", lb) for lb in labels):
        reasons.append(Reason("fake_gov", DANGEROUS, shown))
    text = ascii_host.replace(".", "-")
    for brand, official in BRANDS.items():
        if brand in text:
            reasons.append(Reason("brand_elsewhere", DANGEROUS, f"{shown} ≠ {official}"))
            return reasons
    label = _label(ascii_host)
    shape = skeleton(label)
    for brand, brand_shape, official in _shapes()[: len(BRANDS)]:
        near = _distance(shape, brand_shape)
        if near <= (2 if len(brand) >= 8 else 1) and label != brand:
            reasons.append(Reason("lookalike", DANGEROUS, f"{shown} ≈ {official}"))
            break
    return reasons


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, stopping early: only small distances matter here."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# Scam phrasing around Tết, written without tone marks (messages are folded the same way).
PHRASES: dict[str, tuple[str, ...]] = {
    "otp": ("ma otp", "otp", "ma xac thuc", "ma xac nhan"),
    "transfer": ("chuyen khoan", "chuyen tien", "nap tien", "dat coc", "phi giu cho"),
    "authority": ("cong an", "toa an", "vien kiem sat", "lien quan vu an", "rua tien",
                  "dieu tra", "lenh bat"),
    "account": ("tai khoan cua ban", "tai khoan bi khoa", "cap nhat thong tin",
                "xac minh tai khoan", "dinh danh muc 2", "chuan hoa thong tin", "khoa sim"),
    "prize": ("trung thuong", "nhan qua", "qua tet", "ho tro tet", "li xi", "lixi",
              "hoan tien"),
    "job": ("viec lam tai nha", "viec nhe luong cao", "cong tac vien", "hoa hong",
            "viec lam thoi vu", "tuyen ctv"),
    "tickets": ("ve tau tet", "ve xe tet", "ve may bay gia re", "san ve"),
    "banknotes": ("doi tien moi", "doi tien le", "tien moi mieng"),
    "shipper": ("phi ship", "phi giao hang", "don hang cua ban", "buu pham"),
    "gambling": ("no hu", "tai xiu", "ca do", "nha cai", "game bai"),
    "link": ("bam vao link", "nhan vao duong link", "truy cap duong link", "quet ma qr"),
}  # fmt: skip
_STRONG = {"otp", "authority", "gambling"}


def fold(text: str) -> str:
    """Lower case without Vietnamese tone marks: 'Chuyển khoản' → 'chuyen khoan'."""
    text = text.lower().replace("đ", "d")
    stripped = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in stripped if not unicodedata.combining(c)).split())


def check_message(text: str, lookup: Lookup = _no_lists) -> list[Reason]:
    """Phrases, plus every link, domain and phone number inside the message."""
    folded = fold(text)
    groups = [g for g, words in PHRASES.items() if any(_has(folded, w) for w in words)]
    reasons = []
    if len(groups) >= 2 and (set(groups) & _STRONG or "link" in groups):
        reasons.append(Reason("scam_pattern", DANGEROUS, ", ".join(groups)))
    elif groups:
        reasons.append(Reason("phrase", SUSPICIOUS, ", ".join(groups)))
    reasons += [Reason("listed", DANGEROUS, n) for _v, n in lookup("phrase", [folded])]
    seen: set[str] = set()
    for found in _URL_IN_TEXT.findall(text) + _DOMAIN_IN_TEXT.findall(text):
        sub = check(found.rstrip(".,;)"), lookup)
        if sub.value not in seen:
            seen.add(sub.value)
            reasons += [r for r in sub.reasons if r.level != SAFE or r.code == "official"]
    for found in _PHONE_IN_TEXT.findall(text):
        reasons += check_phone(normalize_phone(found), lookup)
    return reasons


def _has(folded: str, words: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(words)}(?![a-z])", folded) is not None
