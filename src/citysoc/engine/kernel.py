"""Compiled line prefilter over raw log bytes (Numba), with the exact path as fallback.

The prefilter reads a block of raw bytes once and keeps only the lines that *might* hit:
- a run of digits and dots that reads as an IPv4 address whose /24 is set in the set's
  2 MiB bitmap (one bit per /24);
- an IPv6-looking token (`::`, or eight colon-separated hex groups when the set has IPv6);
- with domain indicators, a name token one of whose dot-suffixes is in a Bloom filter
  (two hashes over 2**25 bits) of the listed domains, or a non-ASCII name (IDN);
- header lines (`#...`) and the first line of a file, which the readers need;
- a line where the value after one of the reader's `ADDRESS_KEYS` (`SRC=`) is not a plain,
  unlisted IPv4 address (garbage, IPv6, listed), so that the reader can reject it.
Every other non-blank line is counted as a record read and skipped. The kept lines go
through the format reader and the exact match, so the prefilter can only cost speed, never
change an answer: it has no false negatives for any address or name the readers extract
(each such field is delimited in the line by characters that end the token).

Without Numba, `available()` is False and the caller sends every line down the exact,
vectorised Arrow/NumPy path. The column helpers at the end (`parse_ipv4_column`,
`v4_segments`, `gather`) speed up that exact path when Numba is there.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

BLOOM_BITS = 1 << 25
_H1_SEED = 5381
_H2_SEED = 2166136261

try:  # Numba is optional: without it the exact vectorised path handles every line.
    if os.environ.get("CITYSOC_ENGINE_NO_NUMBA"):
        raise ImportError("disabled by CITYSOC_ENGINE_NO_NUMBA")
    import numba

    _njit = numba.njit(cache=True, nogil=True, boundscheck=False)
    # Small helpers called per field are inlined: a call passing arrays costs reference
    # count updates (atomic) that dominated the scan before.
    _inline = numba.njit(cache=True, nogil=True, boundscheck=False, inline="always")
    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised by the fallback test via the env var
    HAVE_NUMBA = False

    def _njit(fn):
        return fn

    _inline = _njit


def available() -> bool:
    return HAVE_NUMBA


@_inline
def _hash_step(h1, h2, c):
    h1 = (h1 * 33 + c) & 0xFFFFFFFF
    h2 = ((h2 ^ c) * 16777619) & 0xFFFFFFFF
    return h1, h2


@_inline
def _bloom_has(bloom, h1, h2):
    a = h1 & (BLOOM_BITS - 1)
    b = h2 & (BLOOM_BITS - 1)
    return ((bloom[a >> 3] >> (a & 7)) & 1) and ((bloom[b >> 3] >> (b & 7)) & 1)


@_njit
def _bloom_fill(data, offsets, bloom):
    for k in range(len(offsets) - 1):
        h1 = np.int64(_H1_SEED)
        h2 = np.int64(_H2_SEED)
        for j in range(offsets[k + 1] - 1, offsets[k] - 1, -1):
            h1, h2 = _hash_step(h1, h2, np.int64(data[j]))
        a = h1 & (BLOOM_BITS - 1)
        b = h2 & (BLOOM_BITS - 1)
        bloom[a >> 3] |= np.uint8(1 << (a & 7))
        bloom[b >> 3] |= np.uint8(1 << (b & 7))


def build_domain_bloom(keys: pa.Array) -> np.ndarray:
    """Bloom filter of the (lower-case, punycode) domain keys, hashed right to left."""
    bloom = np.zeros(BLOOM_BITS // 8, dtype=np.uint8)
    if len(keys) == 0 or not HAVE_NUMBA:
        return bloom
    keys = keys.cast(pa.large_string())
    _, off_buf, data_buf = keys.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[keys.offset : keys.offset + len(keys) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    _bloom_fill(data, offsets, bloom)
    return bloom


# Byte classes, looked up in a 256-entry table instead of chains of comparisons.
DIGIT, DOT, HEXLETTER, LETTER, DASH, COLON, HIGH = 1, 2, 4, 8, 16, 32, 64
NAME = DIGIT | DOT | HEXLETTER | LETTER | DASH | HIGH  # bytes of a name or address token
TOKEN = NAME | COLON


def _class_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint8)
    table[ord("0") : ord("9") + 1] = DIGIT
    table[ord(".")] = DOT
    for lo, hi in (("a", "f"), ("A", "F")):
        table[ord(lo) : ord(hi) + 1] = HEXLETTER
    for lo, hi in (("g", "z"), ("G", "Z")):
        table[ord(lo) : ord(hi) + 1] = LETTER
    table[ord("-")] = DASH
    table[ord("_")] = DASH
    table[ord(":")] = COLON
    table[128:] = HIGH
    return table


CLASSES = _class_table()


@_inline
def _name_hits(buf, s, e, bloom):
    """True if a dot-suffix of the name token buf[s:e] may be a listed domain."""
    while e > s and buf[e - 1] == 46:  # trailing dot of a fully qualified name
        e -= 1
    h1 = np.int64(_H1_SEED)
    h2 = np.int64(_H2_SEED)
    letter = False
    for j in range(e - 1, s - 1, -1):
        c = np.int64(buf[j])
        if c == 46 and letter and _bloom_has(bloom, h1, h2):
            return True
        if 65 <= c <= 90:
            c += 32
        if 97 <= c <= 122:
            letter = True
        h1, h2 = _hash_step(h1, h2, c)
    return letter and _bloom_has(bloom, h1, h2)


@_inline
def _listed(v4, value):
    """Is the IPv4 address covered by an indicator? `v4` = (bitmap, bounds, covered).

    The 2 MiB /24 bitmap answers "no" for most addresses from cache; only the rest pay
    for the binary search over the elementary segments (exact, so that only lines that
    really hit reach the reader)."""
    bitmap, bounds, covered, by16 = v4
    s24 = value >> 8
    if (bitmap[s24 >> 3] >> (s24 & 7)) & 1 == 0:
        return False
    # by16[h] is the first bound at or above h << 16: search only this /16's few bounds.
    h = value >> 16
    a = by16[h]
    b = by16[h + 1]
    k = a + np.searchsorted(bounds[a:b], np.uint64(value), side="right") - 1
    return k >= 0 and covered[k] != 0


@_inline
def _v4_state(buf, s, e, bitmap):
    """0: buf[s:e] is not an IPv4 address; 1: it is, outside the bitmap; 2: inside."""
    while e > s and buf[e - 1] == 46:
        e -= 1
    parts = 0
    value = 0
    octet = 0
    digits = 0
    for j in range(s, e):
        c = buf[j]
        if c == 46:
            if digits == 0 or octet > 255 or parts >= 3:
                return 0
            value = (value << 8) | octet
            parts += 1
            octet = 0
            digits = 0
        elif c < 48 or c > 57:
            return 0
        else:
            octet = octet * 10 + (c - 48)
            digits += 1
            if digits > 3:
                return 0
    if parts != 3 or digits == 0 or octet > 255:
        return 0
    value = (value << 8) | octet
    return 2 if _listed(bitmap, value) else 1


@_inline
def _pieces_state(buf, t, i, bitmap, bloom, check_domains):
    """Addresses may sit inside a token (host:port, a-b, x_y): check each piece."""
    seen = 0
    p = t
    for j in range(t, i + 1):
        if j == i or buf[j] == 58 or buf[j] == 45 or buf[j] == 95:
            if j > p:
                state = _v4_state(buf, p, j, bitmap)
                if state == 2:
                    return 2
                seen = max(seen, state)
            p = j + 1
    if check_domains:
        p = t
        for j in range(t, i + 1):
            if j == i or buf[j] == 58:
                if j > p and _name_hits(buf, p, j, bloom):
                    return 2
                p = j + 1
    return seen


@_inline
def _line_state(buf, s, e, cls, bitmap, bloom, check_domains, has_v6):  # noqa: C901 - one scan
    """2: the line may hit; 1: it has an address, none listed; 0: no address at all."""
    seen = 0
    i = s
    while i < e:
        k = cls[buf[i]]
        if k & TOKEN == 0:
            i += 1
            continue
        t = i
        kinds = 0
        colons = 0
        while i < e:
            k = cls[buf[i]]
            if k & TOKEN == 0:
                break
            if k & COLON:
                colons += 1
                if i + 1 < e and buf[i + 1] == 58:
                    return 2  # '::' : IPv6 or IPv4-mapped; the exact path decides
            kinds |= k
            i += 1
        if kinds & ~(DIGIT | DOT) == 0:
            if kinds == DIGIT | DOT and i - t >= 7:
                state = _v4_state(buf, t, i, bitmap)
                if state == 2:
                    return 2
                seen = max(seen, state)
        elif colons == 7 and kinds & ~(DIGIT | HEXLETTER | COLON) == 0:
            if has_v6:
                return 2
            seen = 1
        elif kinds & HIGH and check_domains:
            return 2  # non-ASCII name: IDN, the exact path converts it
        else:
            if kinds & DIGIT and kinds & DOT and kinds & (COLON | DASH):
                state = _pieces_state(buf, t, i, bitmap, bloom, False)
                if state == 2:
                    return 2
                seen = max(seen, state)
            named = check_domains and kinds & (HEXLETTER | LETTER) and kinds & DOT
            if named and _pieces_state(buf, t, i, bitmap, bloom, True) == 2:
                return 2
    return seen


@_inline
def _has_high_byte(buf, s, e):
    for j in range(s, e):  # noqa: SIM110 - a plain loop compiles to the tightest code
        if buf[j] >= 128:
            return True  # non-ASCII name (IDN): the exact path converts it
    return False


@_inline
def _json_shape_ok(buf, s, e):
    a = s
    while a < e and (buf[a] == 32 or buf[a] == 9):
        a += 1
    z = e
    while z > a and (buf[z - 1] == 32 or buf[z - 1] == 9):
        z -= 1
    return z - a >= 2 and buf[a] == 123 and buf[z - 1] == 125


@_njit
def _prefilter(  # noqa: PLR0913 - a compiled kernel takes plain arrays and scalars
    buf,
    start,
    stop,
    cls,
    bitmap,
    bloom,
    check_domains,
    has_v6,
    first_is_header,
    sep,
    n_sep,
    want_json,
    f1,
    f2,
    fd,
    kdata,
    koff,
    kroles,
    akdata,
    akoff,
    out_start,
    out_end,
    out_line,
):
    """Scan buf[start:stop]; return (kept, resume position, lines seen, records skipped).

    `akdata`/`akoff` list the reader's address keys (`SRC=`): a line is kept when the value
    after one of them is not a plain IPv4 address, so that the reader rejects it."""
    n = 0
    line = 0
    skipped = 0
    i = start
    cap = len(out_start)
    words = buf[: len(buf) // 8 * 8].view(np.uint64)
    wlimit = len(words) * 8 - 8
    while i < stop:
        s = i
        i = _line_end(buf, words, i, stop, wlimit)
        e = i
        i += 1  # past the newline
        while e > s and buf[e - 1] == 13:
            e -= 1
        a = s
        while a < e and (buf[a] == 32 or buf[a] == 9):
            a += 1
        if a < e:
            if buf[s] == 35 or (first_is_header and line == 0 and s == 0):
                keep = True
            elif want_json:
                keep = not _json_shape_ok(buf, s, e) or _json_keep(
                    buf, words, s, e, bitmap, bloom, check_domains, has_v6, kdata, koff, kroles
                )
            else:
                # Lines without any address also go to the reader, which rejects them
                # (or reads a name-only DNS record): counts match the exact path.
                keep = _line_state(buf, s, e, cls, bitmap, bloom, check_domains, has_v6) != 1
                if not keep and len(akoff) > 1:
                    keep = _keyed_values_suspect(buf, s, e, akdata, akoff, bitmap)
            if keep:
                out_start[n] = s
                out_end[n] = e
                out_line[n] = line
                n += 1
            else:
                skipped += 1
        line += 1
        if n == cap:
            return n, i, line, skipped
    return n, i, line, skipped


@_inline
def _addr_field_state(buf, s, e, bitmap):  # noqa: C901 - one pass over one field
    """An address field in one pass: 0 empty/'-'/'(empty)', 1 IPv4 outside the bitmap,
    2 anything else (a listed /24, IPv6, garbage: the exact path decides)."""
    if e - s >= 2 and buf[s] == 34 and buf[e - 1] == 34:
        s += 1
        e -= 1
    n = e - s
    if n == 0 or (n == 1 and buf[s] == 45) or (n == 7 and buf[s] == 40):
        return 0
    if n < 7 or n > 15:
        return 2
    value = 0
    octet = 0
    digits = 0
    parts = 0
    for j in range(s, e):
        d = np.int64(buf[j]) - 48
        if 0 <= d <= 9:
            octet = octet * 10 + d
            digits += 1
        elif d == -2 and digits > 0 and digits <= 3 and octet <= 255:
            value = (value << 8) | octet
            parts += 1
            octet = 0
            digits = 0
        else:
            return 2
    if parts != 3 or digits == 0 or digits > 3 or octet > 255:
        return 2
    return 2 if _listed(bitmap, (value << 8) | octet) else 1


@_inline
def _keyed_values_suspect(buf, s, e, akdata, akoff, bitmap):
    """True if the value after any address key (`SRC=`) in buf[s:e] is not an unlisted
    IPv4 address: garbage, IPv6, listed. The value runs to the next blank; quotes around
    it are allowed. Keys are matched anywhere, which can only keep more lines."""
    for k in range(len(akoff) - 1):
        a = akoff[k]
        n = akoff[k + 1] - a
        first = akdata[a]
        for i in range(s, e - n + 1):
            if buf[i] != first:
                continue
            same = True
            for j in range(1, n):
                if buf[i + j] != akdata[a + j]:
                    same = False
                    break
            if not same:
                continue
            v = i + n
            z = v
            while z < e and buf[z] != 32 and buf[z] != 9:
                z += 1
            if _addr_field_state(buf, v, z, bitmap) == 2:
                return True
    return False


@_njit
def _prefilter_delimited(  # noqa: C901, PLR0913 - one fused pass over the block
    buf,
    start,
    stop,
    bitmap,
    bloom,
    check_domains,
    first_is_header,
    sep,
    n_sep,
    f1,
    f2,
    fd,
    out_start,
    out_end,
    out_line,
):
    """_prefilter for separator-delimited lines, fused into one pass over the bytes.

    The inner loop only looks for the bytes that matter (newline, separator, and the quote
    in CSV) through a 256-entry table; everything else is decided at field ends."""
    n = 0
    line = 0
    skipped = 0
    cap = len(out_start)
    i = start
    csv_quotes = sep == 44
    special = np.zeros(256, dtype=np.uint8)
    special[10] = 1
    special[sep] = 1
    if csv_quotes:
        special[34] = 1
    last = max(f1, f2, fd)  # after this field only the separators still matter
    words = buf[: len(buf) // 8 * 8].view(np.uint64)
    sep_word = np.uint64(sep) * _ONES
    while i < stop:
        s = i
        if buf[i] == 35 or (first_is_header and line == 0 and s == 0):
            keep = True
            while i < stop and buf[i] != 10:
                i += 1
        else:
            keep = False
            count = 0
            quoted = False
            field = s
            addresses = 0
            while True:
                while i < stop and special[buf[i]] == 0:
                    i += 1
                c = buf[i] if i < stop else 10
                if c != 10 and (quoted or c != sep):
                    if c == 34 and csv_quotes:
                        quoted = not quoted
                    i += 1
                    continue
                e = i
                if c == 10 and e > field and buf[e - 1] == 13:
                    e -= 1
                if not keep:
                    if count == f1 or count == f2:  # noqa: SIM109 - scalar compares in Numba
                        state = _addr_field_state(buf, field, e, bitmap)
                        if state == 2:
                            keep = True
                        addresses += state
                    elif count == fd and check_domains and e > field:  # noqa: SIM102
                        if _name_hits(buf, field, e, bloom) or _has_high_byte(buf, field, e):
                            keep = True
                count += 1
                field = i + 1
                if c == 10:
                    break
                i += 1
                if count > last:
                    # Tail: only the separators up to the newline still matter. A quote
                    # here would need the CSV rules: keep the line, the reader decides.
                    i, seps, quote = _tail(buf, words, i, stop, sep, sep_word, csv_quotes)
                    keep = keep or quote
                    count += seps + 1
                    break
            if count <= 1 and _blank(buf, s, i, csv_quotes):
                i += 1
                line += 1
                continue  # blank line: not a record
            if count - 1 != n_sep or addresses == 0:
                keep = True
        e = i
        while e > s and buf[e - 1] == 13:
            e -= 1
        i += 1  # past the newline
        if keep:
            out_start[n] = s
            out_end[n] = e
            out_line[n] = line
            n += 1
        else:
            skipped += 1
        line += 1
        if n == cap:
            return n, i, line, skipped
    return n, i, line, skipped


_ONES = np.uint64(0x0101010101010101)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_NEWLINES = np.uint64(0x0A0A0A0A0A0A0A0A)
_QUOTES = np.uint64(0x2222222222222222)
_SEVEN = np.uint64(7)
_BYTE_COUNT_SHIFT = np.uint64(56)


@_inline
def _zero_bytes(x):
    """High bit set in each byte of x that is zero, exactly (no false positives)."""
    y = (x & _LOW7) + _LOW7
    return ~(y | x | _LOW7)


_BACKSLASHES = np.uint64(0x5C5C5C5C5C5C5C5C)
_SIXTY_FOUR = np.uint64(64)


@_inline
def _word_at(words, i):
    """buf[i:i + 8] as one little-endian word for any i, from two aligned words (the
    caller keeps i + 16 within the words)."""
    a = i >> 3
    off = np.uint64((i & 7) * 8)
    if off == 0:
        return words[a]
    return (words[a] >> off) | (words[a + 1] << (_SIXTY_FOUR - off))


@_inline
def _line_end(buf, words, i, stop, wlimit):
    """Position of the next newline at or after i (or stop), eight bytes at a time."""
    while i + 8 <= stop and i + 8 <= wlimit:
        if _zero_bytes(_word_at(words, i) ^ _NEWLINES) != 0:
            break
        i += 8
    while i < stop and buf[i] != 10:
        i += 1
    return i


@_inline
def _tail(buf, words, i, stop, sep, sep_word, csv_quotes):
    """From i to the newline: (newline position, separators seen, quote seen).

    Eight bytes at a time (SWAR) where the block's 8-byte words allow: no separator or
    newline search byte by byte over the fields nobody reads."""
    seps = 0
    quote = False
    while i < stop and i & 7:
        c = buf[i]
        if c == 10:
            return i, seps, quote
        if c == sep:
            seps += 1
        elif c == 34 and csv_quotes:
            quote = True
        i += 1
    while i + 8 <= stop:
        w = words[i >> 3]
        if _zero_bytes(w ^ _NEWLINES) != 0:
            break
        hits = _zero_bytes(w ^ sep_word) >> _SEVEN
        seps += np.int64((hits * _ONES) >> _BYTE_COUNT_SHIFT)
        if csv_quotes and _zero_bytes(w ^ _QUOTES) != 0:
            quote = True
        i += 8
    while i < stop:
        c = buf[i]
        if c == 10:
            break
        if c == sep:
            seps += 1
        elif c == 34 and csv_quotes:
            quote = True
        i += 1
    return i, seps, quote


@_inline
def _blank(buf, s, e, csv_quotes):
    """Only blanks, CRs (and CSV quotes) in buf[s:e]: a blank line, not a record."""
    for j in range(s, e):
        c = buf[j]
        if c != 32 and c != 9 and c != 13 and not (c == 34 and csv_quotes):
            return False
    return True


# JSON keys whose values the JSON readers extract: (name, 1 = address, 2 = domain).
JSON_KEYS = (
    ("src_ip", 1),
    ("dest_ip", 1),
    ("id.orig_h", 1),
    ("id.resp_h", 1),
    ("rrname", 2),
    ("hostname", 2),
    ("sni", 2),
    ("query", 2),
    ("host", 2),
    ("server_name", 2),
)


def _json_key_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    names = [k.encode() for k, _ in JSON_KEYS]
    data = np.frombuffer(b"".join(names), dtype=np.uint8).copy()
    offsets = np.zeros(len(names) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in names], out=offsets[1:])
    roles = np.array([r for _, r in JSON_KEYS], dtype=np.int64)
    return data, offsets, roles


JSON_KEY_DATA, JSON_KEY_OFFSETS, JSON_KEY_ROLES = _json_key_table()


@_inline
def _json_role(buf, s, e, kdata, koff, kroles):
    n = e - s
    for k in range(len(kroles)):
        a = koff[k]
        if koff[k + 1] - a != n:
            continue
        same = True
        for j in range(n):
            if buf[s + j] != kdata[a + j]:
                same = False
                break
        if same:
            return kroles[k]
    return 0


@_inline
def _json_keep(buf, words, s, e, bitmap, bloom, check_domains, has_v6, kdata, koff, kroles):  # noqa: C901, PLR0913
    """Keep a JSON line if a value of an address key is not IPv4 outside the bitmap, or a
    value of a domain key may be listed. Only quoted strings are visited."""
    wlimit = len(words) * 8 - 8
    i = s
    role = 0  # role of the key whose value comes next
    after_key = False
    addresses = 0
    while i < e:
        c = buf[i]
        if c != 34:
            if c == 58 and after_key:
                after_key = False  # the value follows
            elif c != 32 and c != 9 and c != 58:
                role = 0  # a non-string value (number, object): the pending role is spent
                after_key = False
            i += 1
            continue
        # A quoted string: find its end, honouring backslash escapes.
        a = i + 1
        j = a
        escaped = False
        while j + 8 <= e and j + 8 <= wlimit:  # eight bytes at a time to a quote or backslash
            w = _word_at(words, j)
            if (_zero_bytes(w ^ _QUOTES) | _zero_bytes(w ^ _BACKSLASHES)) != 0:
                break
            j += 8
        while j < e and buf[j] != 34:
            if buf[j] == 92:
                escaped = True
                j += 1
            j += 1
        if j >= e:
            return True  # unterminated string: the reader decides
        k = j + 1
        while k < e and (buf[k] == 32 or buf[k] == 9):
            k += 1
        if k < e and buf[k] == 58:
            role = _json_role(buf, a, j, kdata, koff, kroles)
            after_key = True
        elif role != 0:
            if escaped:
                return True
            if role == 1:
                state = _addr_field_state(buf, a, j, bitmap)
                if state == 2:
                    return True
                addresses += state
            elif check_domains and j > a:  # noqa: SIM102 - mirrors the role branches
                if _name_hits(buf, a, j, bloom) or _has_high_byte(buf, a, j):
                    return True
            role = 0
        i = j + 1
    return addresses == 0


@dataclass(frozen=True)
class Shape:
    """What a well-formed line looks like. For delimited formats (n_sep >= 0) only the
    address fields f1/f2 and the domain field fd are looked at; -1 means none."""

    sep: int = 0  # separator byte, 0 for none
    n_sep: int = -1  # expected separators per line; -1 = not a delimited format
    json: bool = False
    address_keys: tuple[str, ...] = ()  # `SRC=`-style keys whose values are addresses
    f1: int = -1
    f2: int = -1
    fd: int = -1


def _scan_range(
    block: np.ndarray,
    start: int,
    stop: int,
    iset,
    check_domains: bool,
    first_is_header: bool,
    shape: Shape,
):
    bloom = iset.domain_bloom() if check_domains else np.zeros(8, np.uint8)
    starts, ends, lines = [], [], []
    line_base = 0
    skipped = 0
    pos = start
    while pos < stop:
        # Kept lines are few; if a block is denser than this, the kernel stops early and
        # is called again from where it stopped.
        cap = max((stop - pos) // 64, 1024)
        o_s = np.empty(cap, np.int64)
        o_e = np.empty(cap, np.int64)
        o_l = np.empty(cap, np.int64)
        if shape.n_sep >= 0:
            n, pos, seen, skip = _prefilter_delimited(
                block,
                pos,
                stop,
                v4_tables(iset),
                bloom,
                check_domains,
                first_is_header and pos == 0,
                shape.sep,
                shape.n_sep,
                shape.f1,
                shape.f2,
                shape.fd,
                o_s,
                o_e,
                o_l,
            )
        else:
            n, pos, seen, skip = _prefilter(
                block,
                pos,
                stop,
                CLASSES,
                v4_tables(iset),
                bloom,
                check_domains,
                iset.has_v6,
                first_is_header and pos == 0,
                shape.sep,
                shape.n_sep,
                shape.json,
                shape.f1,
                shape.f2,
                shape.fd,
                JSON_KEY_DATA,
                JSON_KEY_OFFSETS,
                JSON_KEY_ROLES,
                *_key_table(shape.address_keys),
                o_s,
                o_e,
                o_l,
            )
        starts.append(o_s[:n])
        ends.append(o_e[:n])
        lines.append(o_l[:n] + line_base)
        line_base += seen
        skipped += skip
    if not starts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64), 0, 0
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(lines), line_base, skipped


def _newline_at_or_after(data: np.ndarray, pos: int) -> int:
    """Like bytes.find(b"\\n", pos) for a block that may be a memory-mapped view."""
    step = 1 << 16
    while pos < len(data):
        chunk = data[pos : pos + step]
        k = int(np.argmax(chunk == 10))
        if chunk[k] == 10:
            return pos + k
        pos += step
    return -1


_POOL: ThreadPoolExecutor | None = None
_KEY_TABLES: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}


def _key_table(keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, offsets) of the address keys, as the kernel takes them (cached)."""
    if keys not in _KEY_TABLES:
        names = [k.encode() for k in keys]
        data = np.frombuffer(b"".join(names) or b"\0", dtype=np.uint8).copy()
        offsets = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in names], out=offsets[1:])
        _KEY_TABLES[keys] = (data, offsets)
    return _KEY_TABLES[keys]


def v4_tables(iset) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(bitmap, segment bounds, segment covered?, /16 index) for `_listed`, built once
    per set and saved with it (`IndicatorSet.save`)."""
    tables = iset._kernel_v4
    if tables is None:
        covered = (np.diff(iset.v4.offsets) > 0).astype(np.uint8)
        bounds = np.asarray(iset.v4.bounds, dtype=np.uint64)
        by16 = np.searchsorted(bounds, np.arange(65537, dtype=np.uint64) << np.uint64(16))
        tables = (iset.v4_bitmap, bounds, covered, by16.astype(np.int64))
        iset._kernel_v4 = tables
    return tables


def prefilter(
    block: bytes,
    iset,
    check_domains: bool,
    first_is_header: bool,
    shape: Shape | None = None,
    threads: int = 2,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Candidate lines of a block: (starts, ends, line index, records skipped, lines).

    The block is split at a newline into `threads` parts scanned in parallel: the kernel
    releases the GIL (nogil), so two cores give nearly twice the rate.
    """
    global _POOL
    shape = shape or Shape()
    if check_domains:
        iset.domain_bloom()  # build once here, not in two threads at once
    data = np.frombuffer(block, dtype=np.uint8)
    cuts = [0]
    for k in range(1, threads):
        cut = _newline_at_or_after(data, len(block) * k // threads)
        cuts.append(cut + 1 if cut >= 0 else len(block))
    cuts.append(len(block))
    parts = list(zip(cuts[:-1], cuts[1:], strict=True))
    if threads == 1 or len(block) < (1 << 20):
        results = [_scan_range(data, 0, len(block), iset, check_domains, first_is_header, shape)]
    else:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="citysoc-kernel")
        futures = [
            _POOL.submit(
                _scan_range, data, a, b, iset, check_domains, first_is_header and a == 0, shape
            )
            for a, b in parts
        ]
        results = [f.result() for f in futures]
    starts, ends, lines = [], [], []
    base = 0
    skipped = 0
    for s, e, ln, seen, skip in results:
        starts.append(s)
        ends.append(e)
        lines.append(ln + base)
        base += seen
        skipped += skip
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(lines), skipped, base


# ---- column helpers for the exact path ----------------------------------------------------


@_njit
def _parse_ipv4_strings(data, offsets, valid, ok, out):
    """Dotted-quad IPv4 per string, with addr.IPV4_RE's rules (no leading zeros)."""
    for k in range(len(ok)):
        if not valid[k]:
            continue
        s = offsets[k]
        e = offsets[k + 1]
        if e - s < 7 or e - s > 15:
            continue
        value = 0
        octet = 0
        digits = 0
        parts = 0
        lead_zero = False
        good = True
        for j in range(s, e):
            c = np.int64(data[j])
            if 48 <= c <= 57:
                if digits == 0:
                    lead_zero = c == 48
                elif lead_zero:
                    good = False
                    break
                octet = octet * 10 + (c - 48)
                digits += 1
                if digits > 3:
                    good = False
                    break
            elif c == 46 and digits > 0 and octet <= 255 and parts < 3:
                value = (value << 8) | octet
                parts += 1
                octet = 0
                digits = 0
            else:
                good = False
                break
        if good and parts == 3 and digits > 0 and octet <= 255:
            ok[k] = True
            out[k] = (value << 8) | octet


def parse_ipv4_column(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(is_ipv4, value) of a pa.string() array, straight from its buffers."""
    n = len(values)
    ok = np.zeros(n, dtype=np.bool_)
    out = np.zeros(n, dtype=np.uint32)
    if n == 0:
        return ok, out
    _, off_buf, data_buf = values.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int32)[values.offset : values.offset + n + 1]
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    )
    if values.null_count:
        valid = values.is_valid().to_numpy(zero_copy_only=False)
    else:
        valid = np.ones(n, dtype=np.bool_)
    _parse_ipv4_strings(data, offsets, valid, ok, out)
    return ok, out


@_njit
def _v4_segments(values, bounds, by16, out):
    for k in range(len(values)):
        v = np.uint64(values[k])
        h = v >> 16
        a = by16[h]
        b = by16[h + 1]
        out[k] = max(a + np.searchsorted(bounds[a:b], v, side="right") - 1, 0)


def v4_segments(iset, values: np.ndarray) -> np.ndarray:
    """Elementary segment of each IPv4 value (as `RangeIndex.lookup`), via the /16 index."""
    _, bounds, _, by16 = v4_tables(iset)
    out = np.empty(len(values), dtype=np.int64)
    _v4_segments(values.astype(np.uint64), bounds, by16, out)
    return out


@_njit
def gather(data, starts, offsets, out):
    """Copy line k (data[starts[k]:...], offsets[k + 1] - offsets[k] bytes) to out[offsets[k]:]."""
    for k in range(len(starts)):
        a = starts[k]
        o = offsets[k]
        for j in range(offsets[k + 1] - o):
            out[o + j] = data[a + j]


@_njit
def _split_fields(data, offsets, sep, n_fields, wanted, starts, ends, good):
    for k in range(len(good)):
        s = offsets[k]
        e = offsets[k + 1]
        field = 0
        a = s
        for j in range(s, e + 1):
            if j == e or data[j] == sep:
                for w in range(len(wanted)):
                    if wanted[w] == field:
                        starts[w, k] = a
                        ends[w, k] = j
                field += 1
                a = j + 1
        good[k] = field == n_fields


def split_fields(
    lines: pa.Array, sep: str, n_fields: int, wanted: list[int]
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Split unquoted lines at `sep`: (right field count?, starts, ends per wanted field,
    data bytes). Positions index the returned bytes; a missing field is empty."""
    n = len(lines)
    _, off_buf, data_buf = lines.buffers()
    width = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[lines.offset : lines.offset + n + 1]
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    )
    starts = np.zeros((len(wanted), n), dtype=np.int64)
    ends = np.zeros((len(wanted), n), dtype=np.int64)
    good = np.zeros(n, dtype=np.bool_)
    want = np.asarray(wanted, dtype=np.int64)
    _split_fields(data, offsets.astype(np.int64), ord(sep), n_fields, want, starts, ends, good)
    return good, list(starts), list(ends), data


# ---- hit rows of delimited lines, without the reader -------------------------------------


@_inline
def _strict_ipv4(buf, s, e):
    """buf[s:e] is a dotted quad by addr.IPV4_RE's rules (as `_parse_ipv4_strings`)."""
    if e - s < 7 or e - s > 15:
        return False
    octet = 0
    digits = 0
    parts = 0
    lead_zero = False
    for j in range(s, e):
        c = np.int64(buf[j])
        if 48 <= c <= 57:
            if digits == 0:
                lead_zero = c == 48
            elif lead_zero:
                return False
            octet = octet * 10 + (c - 48)
            digits += 1
            if digits > 3:
                return False
        elif c == 46 and digits > 0 and octet <= 255 and parts < 3:
            parts += 1
            octet = 0
            digits = 0
        else:
            return False
    return parts == 3 and digits > 0 and octet <= 255


@_inline
def _unset(buf, s, e, dash):
    """An address field that holds no value: empty, or (Zeek, W3C) `-` / `(empty)`."""
    n = e - s
    if n == 0:
        return True
    if not dash:
        return False
    return (n == 1 and buf[s] == 45) or (n == 7 and buf[s] == 40 and buf[e - 1] == 41)


@_njit
def _plain_rows(buf, starts, ends, sep, n_fields, wanted, addr_roles, dash, fs, fe, plain):  # noqa: C901, PLR0913
    """For each line buf[starts[k]:ends[k]]: is it a plain record, and where are its fields?

    Plain: not a `#` line, exactly n_fields fields, no quote or CR anywhere, every address
    field a dotted quad or unset and at least one a dotted quad. Such a line reads the same
    in every reader path, so its fields can be taken from the block as they are."""
    for k in range(len(starts)):
        s = starts[k]
        e = ends[k]
        plain[k] = False
        if e <= s or buf[s] == 35:
            continue
        field = 0
        a = s
        ok = True
        for j in range(s, e + 1):
            c = buf[j] if j < e else sep
            if c == 34 or c == 13:
                ok = False
                break
            if c == sep:
                for w in range(len(wanted)):
                    if wanted[w] == field:
                        fs[w, k] = a
                        fe[w, k] = j
                field += 1
                a = j + 1
        if not ok or field != n_fields:
            continue
        addresses = 0
        for w in range(len(wanted)):
            if addr_roles[w] and wanted[w] >= 0:
                if _strict_ipv4(buf, fs[w, k], fe[w, k]):
                    addresses += 1
                elif not _unset(buf, fs[w, k], fe[w, k], dash):
                    ok = False
        plain[k] = ok and addresses > 0


def plain_rows(
    block: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    sep: str,
    n_fields: int,
    wanted: list[int],
    addr_roles: list[bool],
    dash: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plain mask, field starts, field ends) of kept lines; see `_plain_rows`.

    `wanted` lists a field position per role (-1: the role has no field); positions index
    the block. A role without a field gets empty ranges."""
    n = len(starts)
    fs = np.zeros((len(wanted), n), dtype=np.int64)
    fe = np.zeros((len(wanted), n), dtype=np.int64)
    plain = np.zeros(n, dtype=np.bool_)
    if n:
        _plain_rows(
            np.frombuffer(block, dtype=np.uint8),
            starts.astype(np.int64),
            ends.astype(np.int64),
            ord(sep),
            n_fields,
            np.asarray(wanted, dtype=np.int64),
            np.asarray(addr_roles, dtype=np.bool_),
            dash,
            fs,
            fe,
            plain,
        )
    return plain, fs, fe


# ---- domains: every label-level suffix looked up in one compiled pass ---------------------

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3


def _string_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, int64 offsets, valid) of a string array, without copying the bytes."""
    values = values.cast(pa.large_string())
    n = len(values)
    _, off_buf, data_buf = values.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[values.offset : values.offset + n + 1]
    data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    if values.null_count:
        valid = values.is_valid().to_numpy(zero_copy_only=False)
    else:
        valid = np.ones(n, dtype=np.bool_)
    return data, offsets, valid


@_njit
def _suffix_hashes(data, offsets, out):
    """FNV-1a (64-bit) of each whole string, hashed right to left as `_domain_suffixes`."""
    for k in range(len(offsets) - 1):
        h = np.uint64(_FNV_OFFSET)
        for j in range(offsets[k + 1] - 1, offsets[k] - 1, -1):
            h = (h ^ np.uint64(data[j])) * np.uint64(_FNV_PRIME)
        out[k] = h


@_njit
def _domain_suffixes(  # noqa: C901, PLR0913 - one compiled pass over plain arrays
    data, offsets, valid, hashes, order, kdata, koff, rows, keys, levels
):
    """For each name, every suffix starting at a label (the name, then without its first
    label, ...) found among the listed keys: (row, key position, labels stripped)."""
    n = 0
    for k in range(len(offsets) - 1):
        if not valid[k]:
            continue
        s = offsets[k]
        e = offsets[k + 1]
        first_hit = n
        h = np.uint64(_FNV_OFFSET)
        dots = 0
        for j in range(e - 1, s - 1, -1):
            c = data[j]
            h = (h ^ np.uint64(c)) * np.uint64(_FNV_PRIME)
            if c == 46:
                dots += 1
            if j != s and data[j - 1] != 46:
                continue
            p = np.searchsorted(hashes, h)
            while p < len(hashes) and hashes[p] == h:
                key = order[p]
                a = koff[key]
                if koff[key + 1] - a == e - j:
                    same = True
                    for t in range(e - j):
                        if kdata[a + t] != data[j + t]:
                            same = False
                            break
                    if same:
                        if n == len(rows):
                            return -1
                        rows[n] = k
                        keys[n] = key
                        levels[n] = dots  # dots inside the suffix; made "stripped" below
                        n += 1
                p += 1
        for t in range(first_hit, n):
            levels[t] = dots - levels[t]
    return n


def domain_hash_index(keys: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(sorted hashes, key position of each) of the listed domain keys."""
    data, offsets, _ = _string_buffers(keys)
    hashes = np.empty(len(keys), dtype=np.uint64)
    _suffix_hashes(data, offsets, hashes)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], order.astype(np.int64)


def domain_suffixes(
    names: pa.Array, keys: pa.Array, hashes: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, key positions, labels stripped) of every listed suffix of each name."""
    data, offsets, valid = _string_buffers(names)
    kdata, koff, _ = _string_buffers(keys)
    cap = max(len(names), 16)
    while True:
        rows = np.empty(cap, np.int64)
        found = np.empty(cap, np.int64)
        levels = np.empty(cap, np.int64)
        n = _domain_suffixes(data, offsets, valid, hashes, order, kdata, koff, rows, found, levels)
        if n >= 0:
            return rows[:n], found[:n], levels[:n]
        cap *= 4
