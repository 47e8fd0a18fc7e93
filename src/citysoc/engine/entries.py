"""Reading indicator entries: what kind each one is, its key, and its address interval.

Accepted kinds: IPv4/IPv6 addresses, CIDRs, `a-b` ranges, domains (which also match every
subdomain; case-insensitive; trailing dot ignored; IDN names converted to punycode) and URLs
(matched by their host). Defanged forms (`example[.]com`, `hxxp://`) are refanged first. A
bad entry is rejected with its line number and a reason; it is never silently dropped.

`parse_entries` reads a whole column at once: plain IPv4 addresses and CIDRs (one compiled
pass over the column's buffers, or RE2 then byte arithmetic without the kernels) and plain
ASCII domains (RE2) never become Python objects; IPv6 takes one compiled pass (or a short
loop over `inet_pton`); only the rare rest (ranges, URLs, IDN, IPv4-mapped IPv6, bad
entries) goes through `classify` one entry at a time. Both paths give the same arrays.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from citysoc.engine import addr
from citysoc.engine.segments import V6_DTYPE, v6_key, v6_keys

_V4_CIDR_RE = rf"^{addr.IPV4_RE[1:-1]}/(?:3[0-2]|[12]?[0-9])$"
_DOMAIN_RE = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$")
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_PLAIN_DOMAIN_RE = rf"^{_LABEL}(?:\.{_LABEL})*\.[a-z0-9_-]*[a-z][a-z0-9_-]*$"
_MAPPED_PREFIX = bytes(10) + b"\xff\xff"
KIND_NAMES = ("ipv4", "cidr", "domain", "ipv6", "range", "url")
_KIND_CODE = {name: code for code, name in enumerate(KIND_NAMES)}


class IndicatorError(ValueError):
    """The indicator input cannot be used at all (no indicator column, unreadable file)."""


@dataclass(frozen=True)
class Rejection:
    source: str
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}: {self.text!r}"


@dataclass
class ParsedEntries:
    """One column of entries, read. Row r is accepted when kinds[r] >= 0 (a KIND_NAMES
    index); its key is text[r] unless `key_rows` lists r (then the matching `key_values`).
    version is 4 or 6 for an IP interval (bounds in v4_lo/v4_hi or v6_*), 0 for a name."""

    text: pa.Array
    kinds: np.ndarray
    version: np.ndarray
    v4_lo: np.ndarray
    v4_hi: np.ndarray
    v6_rows: np.ndarray
    v6_starts: np.ndarray
    v6_ends: np.ndarray
    key_rows: list[np.ndarray] = field(default_factory=list)
    key_values: list[pa.Array] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def key_column(self) -> pa.Array:
        """Every row's key (the refanged text where no other key was set)."""
        if not self.key_rows:
            return self.text
        rows = np.concatenate(self.key_rows)
        values = pa.concat_arrays([v.cast(pa.string()) for v in self.key_values])
        order = np.argsort(rows, kind="stable")
        from citysoc.engine import kernel

        if kernel.available():  # one copy instead of a builder call per row
            spliced = kernel.splice_strings(self.text, rows[order], values.take(pa.array(order)))
            if spliced is not None:
                return spliced
        mask = np.zeros(len(self.text), dtype=bool)
        mask[rows] = True
        return pc.replace_with_mask(self.text, pa.array(mask), values.take(pa.array(order)))


def parse_entries(
    raw: pa.Array, lines: np.ndarray, sources: pa.ChunkedArray | pa.Array | None, source: str
) -> ParsedEntries:
    """Read a string column of indicator entries (see the module docstring)."""
    text = _refang(raw)
    from citysoc.engine import kernel  # here: `import citysoc.engine.entries` stays light

    # IPv4 addresses and CIDRs: one compiled pass over the column's buffers, or RE2 + NumPy
    compiled = kernel.available()
    kinds, version, lo, hi = (kernel.parse_v4_entries if compiled else plain_v4_entries)(text)
    empty = np.empty(0, V6_DTYPE)
    out = ParsedEntries(text, kinds, version, lo, hi, np.empty(0, np.int64), empty, empty)
    rest = np.flatnonzero(kinds < 0)
    if len(rest):
        rest = _plain_domains(out, rest)
    if len(rest):
        rest = _plain_v6(out, rest)
    if len(rest):
        _one_by_one(out, raw, rest, lines, sources, source)
    return out


def plain_v4_entries(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(kind, version, first, last) per entry, as `kernel.parse_v4_entries` gives them, with
    Arrow and NumPy alone: kind 0 (`ipv4`) or 1 (`cidr`) and version 4 for a plain IPv4
    address or a CIDR without host bits set (`classify` explains those), else -1 and 0."""
    n = len(text)
    kinds = np.full(n, -1, dtype=np.int8)
    version = np.zeros(n, dtype=np.int8)
    lo = np.zeros(n, dtype=np.uint64)
    hi = np.zeros(n, dtype=np.uint64)
    is_v4, values = addr.parse_ipv4_plain(text)
    version[is_v4] = 4
    lo[is_v4] = values[is_v4]
    hi[is_v4] = values[is_v4]
    kinds[is_v4] = _KIND_CODE["ipv4"]
    rest = np.flatnonzero(~is_v4)
    if len(rest) == 0:
        return kinds, version, lo, hi
    others = text.take(pa.array(rest))
    is_cidr = addr._bool(pc.match_substring_regex(others, _V4_CIDR_RE))
    if not is_cidr.any():
        return kinds, version, lo, hi
    idx = rest[is_cidr]
    parts = pc.split_pattern(others.filter(pa.array(is_cidr)), "/")
    _, net = addr.parse_ipv4_plain(pc.list_element(parts, 0))
    plen = pc.list_element(parts, 1).cast(pa.uint8()).to_numpy().astype(np.uint64)
    size = np.left_shift(np.uint64(1), np.uint64(32) - plen)
    aligned = (net.astype(np.uint64) & (size - np.uint64(1))) == 0
    good = idx[aligned]
    version[good] = 4
    lo[good] = net[aligned]
    hi[good] = net[aligned].astype(np.uint64) + size[aligned] - np.uint64(1)
    kinds[good] = _KIND_CODE["cidr"]
    return kinds, version, lo, hi


def _plain_domains(out: ParsedEntries, rest: np.ndarray) -> np.ndarray:
    names = _plain_domain_keys(out.text.take(pa.array(rest)))
    ok = addr._bool(pc.is_valid(names))
    if ok.any():
        done = rest[ok]
        out.kinds[done] = _KIND_CODE["domain"]
        out.key_rows.append(done)
        out.key_values.append(names.filter(pa.array(ok)))
    unread: np.ndarray = rest[~ok]
    return unread


def _plain_v6(out: ParsedEntries, rest: np.ndarray) -> np.ndarray:
    """IPv6 addresses and CIDRs through inet_pton (10x faster than `ipaddress`), in one
    compiled pass when the kernels are built (the same C library calls)."""
    from citysoc.engine import kernel

    if kernel.available():
        kinds, starts, ends, keys = kernel.parse_v6_entries(out.text, rest)
        ok = kinds >= 0
        if ok.any():
            _add_v6(out, rest[ok], starts[ok], ends[ok], kinds[ok], keys.filter(pa.array(ok)))
        unread: np.ndarray = rest[~ok]
        return unread
    texts = out.text.take(pa.array(rest))
    maybe = addr._bool(pc.and_not(pc.match_substring(texts, ":"), pc.match_substring(texts, "://")))
    if not maybe.any():
        return rest
    pton, af6 = socket.inet_pton, socket.AF_INET6
    single_rows: list[int] = []
    single_bytes: list[bytes] = []
    cidr_rows: list[int] = []
    cidr_lo: list[int] = []
    cidr_hi: list[int] = []
    cidr_keys: list[str] = []
    done = np.zeros(len(rest), dtype=bool)
    candidates = np.flatnonzero(maybe)
    for k, entry in zip(
        candidates.tolist(), texts.filter(pa.array(maybe)).to_pylist(), strict=True
    ):
        address, slash, plen = entry.partition("/")
        try:
            packed = pton(af6, address)
        except (OSError, ValueError):
            continue
        if packed[:12] == _MAPPED_PREFIX:
            continue  # IPv4-mapped: `classify` folds it into IPv4
        if not slash:
            single_rows.append(int(rest[k]))
            single_bytes.append(packed)
        else:
            if not plen.isdigit() or int(plen) > 128:
                continue
            size = 1 << (128 - int(plen))
            value = int.from_bytes(packed, "big")
            if value & (size - 1):
                continue  # host bits set: `classify` explains it
            cidr_rows.append(int(rest[k]))
            cidr_lo.append(value)
            cidr_hi.append(value + size - 1)
            cidr_keys.append(entry.lower())
        done[k] = True
    if single_rows:
        rows = np.asarray(single_rows, dtype=np.int64)
        keys = v6_keys(np.frombuffer(b"".join(single_bytes), np.uint8).reshape(-1, 16))
        ntop = socket.inet_ntop
        _add_v6(out, rows, keys, keys, "ipv6", [ntop(af6, b) for b in single_bytes])
    if cidr_rows:
        starts = np.array([v6_key(v) for v in cidr_lo], dtype=V6_DTYPE)
        ends = np.array([v6_key(v) for v in cidr_hi], dtype=V6_DTYPE)
        _add_v6(out, np.asarray(cidr_rows, np.int64), starts, ends, "cidr", cidr_keys)
    return rest[~done]


def _add_v6(
    out: ParsedEntries,
    rows: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    kind: str | np.ndarray,
    keys: Sequence[str] | pa.Array,
) -> None:
    out.kinds[rows] = _KIND_CODE[kind] if isinstance(kind, str) else kind
    out.version[rows] = 6
    out.v6_rows = np.concatenate([out.v6_rows, rows])
    out.v6_starts = np.concatenate([out.v6_starts, starts])
    out.v6_ends = np.concatenate([out.v6_ends, ends])
    out.key_rows.append(rows)
    out.key_values.append(keys if isinstance(keys, pa.Array) else pa.array(keys, pa.string()))


def _one_by_one(
    out: ParsedEntries,
    raw: pa.Array,
    rest: np.ndarray,
    lines: np.ndarray,
    sources: pa.ChunkedArray | pa.Array | None,
    source: str,
) -> None:
    """The rare entries no vectorised pass took: `classify` each, or reject it."""
    v6_rows: list[int] = []
    v6_lo: list[int] = []
    v6_hi: list[int] = []
    v6_kinds: list[int] = []
    v6_texts: list[str] = []
    key_rows: list[int] = []
    keys: list[str] = []
    pytext = out.text.take(pa.array(rest)).to_pylist()
    pyraw = raw.take(pa.array(rest)).to_pylist()
    for row, entry, original in zip(rest.tolist(), pytext, pyraw, strict=True):
        try:
            if not entry:
                raise ValueError("empty entry")
            kind, key, ver, lo, hi = classify(entry)
        except ValueError as exc:
            where = str(sources[row].as_py()) if sources is not None else source
            out.rejected.append(Rejection(where, int(lines[row]), original or "", str(exc)))
            continue
        if ver == 6:
            v6_rows.append(row)
            v6_lo.append(lo)
            v6_hi.append(hi)
            v6_kinds.append(_KIND_CODE[kind])
            v6_texts.append(key)
            continue
        out.kinds[row] = _KIND_CODE[kind]
        out.version[row] = ver
        key_rows.append(row)
        keys.append(key)
        if ver == 4:
            out.v4_lo[row], out.v4_hi[row] = lo, hi
    if key_rows:
        out.key_rows.append(np.asarray(key_rows, dtype=np.int64))
        out.key_values.append(pa.array(keys, pa.string()))
    if v6_rows:
        starts = np.array([v6_key(v) for v in v6_lo], dtype=V6_DTYPE)
        ends = np.array([v6_key(v) for v in v6_hi], dtype=V6_DTYPE)
        kinds = np.asarray(v6_kinds, np.int8)
        _add_v6(out, np.asarray(v6_rows, np.int64), starts, ends, kinds, v6_texts)


# ---- one entry ---------------------------------------------------------------------------


def _reason_for(text: str) -> str:
    if "/" in text:
        return "not a valid CIDR"
    if re.fullmatch(r"[0-9.]+", text):
        return "not a valid IPv4 address"
    if ":" in text and re.fullmatch(r"[0-9A-Fa-f:.]+", text):
        return "not a valid IPv6 address"
    return "not an IP address, CIDR, a-b range, domain or URL"


def _ip_interval(text: str) -> tuple[int, int, int, str]:
    """(version, first, last, kind) for an address, CIDR or a-b range; ValueError if none."""
    if "-" in text and "/" not in text:
        left, _, right = text.partition("-")
        first, last = ipaddress.ip_address(left.strip()), ipaddress.ip_address(right.strip())
        if first.version != last.version:
            raise ValueError("range mixes IPv4 and IPv6")
        if int(last) < int(first):
            raise ValueError("range end is before its start")
        return first.version, int(first), int(last), "range"
    if "/" in text:
        try:
            net = ipaddress.ip_network(text, strict=True)
        except ValueError as exc:
            if "host bits set" in str(exc):
                loose = ipaddress.ip_network(text, strict=False)
                raise ValueError(f"host bits set; did you mean {loose}?") from exc
            raise
        mapped = getattr(net.network_address, "ipv4_mapped", None)
        if mapped is not None and net.prefixlen >= 96:
            low = int(mapped)
            return 4, low, low + (1 << (128 - net.prefixlen)) - 1, "cidr"
        return net.version, int(net.network_address), int(net.broadcast_address), "cidr"
    ip = ipaddress.ip_address(text)
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        return 4, int(mapped), int(mapped), "ipv4"
    return ip.version, int(ip), int(ip), f"ipv{ip.version}"


def _domain_key(text: str) -> str:
    name = text.strip().lower().rstrip(".")
    name = name.removeprefix("*.")
    if not name.isascii():
        idna = addr.idna_or_none(name)
        if idna is None:
            raise ValueError("IDN name cannot be converted to punycode")
        name = idna.lower()
    if len(name) > 253 or not _DOMAIN_RE.match(name):
        raise ValueError(_reason_for(text))
    if not re.search(r"[a-z]", name):
        raise ValueError(_reason_for(text))
    if "." not in name:
        # A bare word is far more often a stray header or note than a listed TLD.
        raise ValueError("a domain needs at least one dot (bare words are not matched)")
    return name


def _looks_like_ip(text: str) -> bool:
    return "/" in text or ":" in text or re.fullmatch(r"[0-9.\s-]+", text) is not None


def classify(text: str) -> tuple[str, str, int, int, int]:
    """Classify one entry that is not plain IPv4: (kind, key, version, first, last).

    version 0 means a domain. Raises ValueError with an operator-readable reason.
    """
    if "://" in text:
        host = urlsplit(text).hostname
        if not host:
            raise ValueError("URL has no host")
        try:
            version, lo, hi, _ = _ip_interval(host)
        except ValueError:
            return "url", _domain_key(host), 0, 0, 0
        return "url", host, version, lo, hi
    if not _looks_like_ip(text):
        return "domain", _domain_key(text), 0, 0, 0
    fast = _fast_v6(text)
    if fast is not None:
        return fast
    try:
        version, lo, hi, kind = _ip_interval(text)
    except ValueError as exc:
        message = str(exc)
        if "host bits" in message or "range" in message:
            raise ValueError(message) from exc
        raise ValueError(_reason_for(text)) from exc
    if kind == "cidr":
        key = str(ipaddress.ip_network(text, strict=False))
    elif kind == "range":
        key = text.replace(" ", "")
    else:
        key = str(ipaddress.ip_address(lo)) if version == 6 else _v4_text(lo)
    return kind, key.lower(), version, lo, hi


def _fast_v6(text: str) -> tuple[str, str, int, int, int] | None:
    """inet_pton is ~10x faster than ipaddress for the common plain IPv6 address or CIDR."""
    address, slash, plen = text.partition("/")
    try:
        value = int.from_bytes(socket.inet_pton(socket.AF_INET6, address), "big")
    except (OSError, ValueError):
        return None
    if value >> 32 == 0xFFFF:
        return None  # IPv4-mapped: the slow path folds it into IPv4
    if not slash:
        return "ipv6", socket.inet_ntop(socket.AF_INET6, value.to_bytes(16, "big")), 6, value, value
    if not plen.isdigit() or int(plen) > 128:
        return None
    size = 1 << (128 - int(plen))
    if value & (size - 1):
        return None  # host bits set: the slow path explains it
    return "cidr", text.lower(), 6, value, value + size - 1


def _v4_text(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_PLAIN_DOMAIN_RE = rf"^{_LABEL}(?:\.{_LABEL})*\.[a-z0-9_-]*[a-z][a-z0-9_-]*$"


def _plain_domain_keys(values: pa.Array) -> pa.Array:
    """Lower-cased keys for entries that are plain ASCII domains (null for the rest).

    The same rules as `_domain_key` in RE2 terms (no look-behind there): labels of 1-63
    characters not starting or ending with '-', at least one dot, a letter in the last
    label (so that 1.2.3.999 stays an invalid IPv4, not a domain), 253 characters at most.
    """
    names = pc.utf8_rtrim(pc.utf8_lower(values), characters=".")
    ok = pc.and_(
        pc.fill_null(pc.match_substring_regex(names, _PLAIN_DOMAIN_RE), False),
        pc.less_equal(pc.utf8_length(names), 253),
    )
    return pc.if_else(ok, names, pa.scalar(None, pa.string()))


def _refang(values: pa.Array) -> pa.Array:
    from citysoc.engine import kernel

    # With the kernels, one pass tells whether there is anything to trim or refang: a
    # list read from a file is trimmed already, and copying it again costs fresh memory.
    edge, marks = kernel.text_flags(values) if kernel.available() else (True, True)
    if edge:
        values = pc.utf8_trim_whitespace(values)
    if not marks:
        return values
    # Literal searches and prefix tests: a few times cheaper than one regex alternation.
    for test, pattern in (
        (pc.match_substring, "[.]"),
        (pc.match_substring, "(.)"),
        (pc.starts_with, "hxxp"),
        (pc.starts_with, "fxp"),
    ):
        if pc.any(test(values, pattern)).as_py():
            break
    else:
        return values
    values = pc.replace_substring(values, "[.]", ".")
    values = pc.replace_substring(values, "(.)", ".")
    values = pc.replace_substring_regex(values, r"^hxxp", "http")
    return pc.replace_substring_regex(values, r"^fxp", "ftp")
