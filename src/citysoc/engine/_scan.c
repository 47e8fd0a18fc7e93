/* Compiled scanning kernels of the matching engine (citysoc.engine._scan).
 *
 * Plain C99 over the Python buffer protocol: blocks of raw log bytes (bytes, a view of a
 * memory map) and NumPy arrays come in as buffers, results go into arrays the caller
 * allocated. No NumPy C API, so the module builds with a C compiler and the Python headers
 * alone. The scans release the GIL: the pipeline runs one per core on parts of a block.
 * The Python wrappers in citysoc/engine/kernel/ choose dtypes and sizes; each function
 * here checks that the buffers it writes are large enough, so a wrong call raises instead
 * of writing past an array.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef long long i64; /* what PyArg_ParseTuple's "L" fills; 64 bits here */
typedef unsigned long long u64;
typedef uint8_t u8;

#define BLOOM_BITS (1u << 25)
#define H1_SEED 5381u
#define H2_SEED 2166136261u
#define FNV_OFFSET 0xCBF29CE484222325ull
#define FNV_PRIME 0x100000001B3ull

/* Byte classes of the generic token scan (the same as before in the Numba kernel). */
enum { DIGIT = 1, DOT = 2, HEXLETTER = 4, LETTER = 8, DASH = 16, COLON = 32, HIGH = 64 };
#define NAME (DIGIT | DOT | HEXLETTER | LETTER | DASH | HIGH)
#define TOKEN (NAME | COLON)
static u8 CLS[256];

static void init_classes(void) {
    for (int c = 0; c < 256; c++) {
        u8 k = 0;
        if (c >= '0' && c <= '9') k = DIGIT;
        else if (c == '.') k = DOT;
        else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) k = HEXLETTER;
        else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) k = LETTER;
        else if (c == '-' || c == '_') k = DASH;
        else if (c == ':') k = COLON;
        else if (c >= 128) k = HIGH;
        CLS[c] = k;
    }
}

/* ---- the indicator tables a scan looks addresses and names up in -------------------- */

typedef struct {
    const u8 *bitmap;   /* one bit per /24 */
    const u64 *bounds;  /* elementary segment starts */
    const u8 *covered;  /* segment covered by an indicator? */
    const i64 *by16;    /* by16[h]: first bound at or above h << 16 (65537 entries) */
    const u8 *bloom;    /* domain Bloom filter, BLOOM_BITS bits (or NULL) */
} Tables;

/* Index of the segment holding value: the last bound <= value, searched in its /16 only. */
static inline i64 segment_of(const u64 *bounds, const i64 *by16, u64 value) {
    i64 lo = by16[value >> 16], hi = by16[(value >> 16) + 1];
    while (lo < hi) {
        i64 mid = lo + ((hi - lo) >> 1);
        if (bounds[mid] <= value) lo = mid + 1;
        else hi = mid;
    }
    return lo - 1;
}

/* Is the IPv4 address covered by an indicator? The 2 MiB /24 bitmap answers "no" for most
 * addresses from cache; only the rest pay for the search. */
static inline int listed(const Tables *t, u64 value) {
    u64 s24 = value >> 8;
    if (((t->bitmap[s24 >> 3] >> (s24 & 7)) & 1) == 0) return 0;
    i64 k = segment_of(t->bounds, t->by16, value);
    return k >= 0 && t->covered[k] != 0;
}

static inline void hash_step(u64 *h1, u64 *h2, u64 c) {
    *h1 = (*h1 * 33 + c) & 0xFFFFFFFFu;
    *h2 = ((*h2 ^ c) * 16777619u) & 0xFFFFFFFFu;
}

static inline int bloom_has(const u8 *bloom, u64 h1, u64 h2) {
    u64 a = h1 & (BLOOM_BITS - 1), b = h2 & (BLOOM_BITS - 1);
    return ((bloom[a >> 3] >> (a & 7)) & 1) && ((bloom[b >> 3] >> (b & 7)) & 1);
}

/* True if a dot-suffix of the name buf[s:e] may be a listed domain (hashed from the right,
 * lower-cased, tested at each label start once a letter was seen). */
static int name_hits(const u8 *buf, i64 s, i64 e, const u8 *bloom) {
    while (e > s && buf[e - 1] == '.') e--; /* trailing dot of a fully qualified name */
    u64 h1 = H1_SEED, h2 = H2_SEED;
    int letter = 0;
    for (i64 j = e - 1; j >= s; j--) {
        u64 c = buf[j];
        if (c == '.' && letter && bloom_has(bloom, h1, h2)) return 1;
        if (c >= 'A' && c <= 'Z') c += 32;
        if (c >= 'a' && c <= 'z') letter = 1;
        hash_step(&h1, &h2, c);
    }
    return letter && bloom_has(bloom, h1, h2);
}

static inline int has_high_byte(const u8 *buf, i64 s, i64 e) {
    for (i64 j = s; j < e; j++)
        if (buf[j] >= 128) return 1; /* non-ASCII name (IDN): the exact path converts it */
    return 0;
}

/* 0: buf[s:e] is not an IPv4 address; 1: it is, unlisted; 2: listed. Leading zeros pass. */
static int v4_state(const u8 *buf, i64 s, i64 e, const Tables *t) {
    while (e > s && buf[e - 1] == '.') e--;
    int parts = 0, digits = 0;
    u64 value = 0, octet = 0;
    for (i64 j = s; j < e; j++) {
        u8 c = buf[j];
        if (c == '.') {
            if (digits == 0 || octet > 255 || parts >= 3) return 0;
            value = (value << 8) | octet;
            parts++;
            octet = 0;
            digits = 0;
        } else if (c < '0' || c > '9') {
            return 0;
        } else {
            octet = octet * 10 + (c - '0');
            if (++digits > 3) return 0;
        }
    }
    if (parts != 3 || digits == 0 || octet > 255) return 0;
    return listed(t, (value << 8) | octet) ? 2 : 1;
}

/* An address field in one pass: 0 empty, '-' or '(empty)'; 1 IPv4 outside the list (a
 * dotted quad by addr.IPV4_RE's rules: no leading zeros); 2 anything else (listed, IPv6,
 * garbage: the exact path decides, and rejects a malformed one). */
static int addr_field_state(const u8 *buf, i64 s, i64 e, const Tables *t) {
    if (e - s >= 2 && buf[s] == '"' && buf[e - 1] == '"') {
        s++;
        e--;
    }
    i64 n = e - s;
    if (n == 0 || (n == 1 && buf[s] == '-') || (n == 7 && buf[s] == '(')) return 0;
    if (n < 7 || n > 15) return 2;
    u64 value = 0, octet = 0;
    int digits = 0, parts = 0;
    for (i64 j = s; j < e; j++) {
        int d = (int)buf[j] - '0';
        if (d >= 0 && d <= 9) {
            if (digits == 1 && octet == 0) return 2; /* a leading zero: the reader rejects it */
            octet = octet * 10 + (u64)d;
            digits++;
        } else if (d == -2 && digits > 0 && digits <= 3 && octet <= 255) {
            value = (value << 8) | octet;
            parts++;
            octet = 0;
            digits = 0;
        } else {
            return 2;
        }
    }
    if (parts != 3 || digits == 0 || digits > 3 || octet > 255) return 2;
    return listed(t, (value << 8) | octet) ? 2 : 1;
}

/* Addresses may sit inside a token (host:port, a-b, x_y): check each piece. */
static int pieces_state(const u8 *buf, i64 t0, i64 i, const Tables *t, int check_domains) {
    int seen = 0;
    i64 p = t0;
    for (i64 j = t0; j <= i; j++) {
        if (j == i || buf[j] == ':' || buf[j] == '-' || buf[j] == '_') {
            if (j > p) {
                int state = v4_state(buf, p, j, t);
                if (state == 2) return 2;
                if (state > seen) seen = state;
            }
            p = j + 1;
        }
    }
    if (check_domains) {
        p = t0;
        for (i64 j = t0; j <= i; j++) {
            if (j == i || buf[j] == ':') {
                if (j > p && name_hits(buf, p, j, t->bloom)) return 2;
                p = j + 1;
            }
        }
    }
    return seen;
}

/* Any token of a free-text line: 2 the line may hit; 1 it has an address, none listed;
 * 0 no address at all. */
static int line_state(const u8 *buf, i64 s, i64 e, const Tables *t, int check_domains,
                      int has_v6) {
    int seen = 0;
    i64 i = s;
    while (i < e) {
        if ((CLS[buf[i]] & TOKEN) == 0) {
            i++;
            continue;
        }
        i64 t0 = i;
        int kinds = 0, colons = 0;
        while (i < e) {
            int k = CLS[buf[i]];
            if ((k & TOKEN) == 0) break;
            if (k & COLON) {
                colons++;
                if (i + 1 < e && buf[i + 1] == ':') return 2; /* '::': IPv6, exact path */
            }
            kinds |= k;
            i++;
        }
        if ((kinds & ~(DIGIT | DOT)) == 0) {
            if (kinds == (DIGIT | DOT) && i - t0 >= 7) {
                int state = v4_state(buf, t0, i, t);
                if (state == 2) return 2;
                if (state > seen) seen = state;
            }
        } else if (colons == 7 && (kinds & ~(DIGIT | HEXLETTER | COLON)) == 0) {
            if (has_v6) return 2;
            seen = seen > 1 ? seen : 1;
        } else if ((kinds & HIGH) && check_domains) {
            return 2; /* non-ASCII name: IDN, the exact path converts it */
        } else {
            if ((kinds & DIGIT) && (kinds & DOT) && (kinds & (COLON | DASH))) {
                int state = pieces_state(buf, t0, i, t, 0);
                if (state == 2) return 2;
                if (state > seen) seen = state;
            }
            int named = check_domains && (kinds & (HEXLETTER | LETTER)) && (kinds & DOT);
            if (named && pieces_state(buf, t0, i, t, 1) == 2) return 2;
        }
    }
    return seen;
}

/* True if the value after any address key (`SRC=`) in buf[s:e] is not an unlisted IPv4
 * address. The value runs to the next blank; keys are matched anywhere. */
static int keyed_values_suspect(const u8 *buf, i64 s, i64 e, const u8 *akdata,
                                const i64 *akoff, i64 nkeys, const Tables *t) {
    for (i64 k = 0; k < nkeys; k++) {
        i64 a = akoff[k], n = akoff[k + 1] - a;
        if (n <= 0) continue;
        for (i64 i = s; i + n <= e; i++) {
            if (buf[i] != akdata[a] || memcmp(buf + i, akdata + a, (size_t)n) != 0) continue;
            i64 v = i + n, z = v;
            while (z < e && buf[z] != ' ' && buf[z] != '\t') z++;
            if (addr_field_state(buf, v, z, t) == 2) return 1;
        }
    }
    return 0;
}

/* ---- eight bytes at a time -------------------------------------------------------- */

#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full

static inline u64 load8(const u8 *p) {
    u64 w;
    memcpy(&w, p, 8); /* any alignment; compiles to one load */
    return w;
}

/* High bit set in each byte of x that is zero, exactly (no false positives). */
static inline u64 zero_bytes(u64 x) {
    u64 y = (x & LOW7) + LOW7;
    return ~(y | x | LOW7);
}

/* From i to the newline: the newline's position (or stop); separators and quotes seen. */
static i64 tail(const u8 *buf, i64 i, i64 stop, u8 sep, int csv_quotes, i64 *seps,
                int *quote) {
    u64 sep_word = (u64)sep * ONES, nl_word = (u64)'\n' * ONES, q_word = (u64)'"' * ONES;
    while (i + 8 <= stop) {
        u64 w = load8(buf + i);
        if (zero_bytes(w ^ nl_word)) break;
        u64 hits = zero_bytes(w ^ sep_word) >> 7;
        *seps += (i64)((hits * ONES) >> 56);
        if (csv_quotes && zero_bytes(w ^ q_word)) *quote = 1;
        i += 8;
    }
    while (i < stop) {
        u8 c = buf[i];
        if (c == '\n') break;
        if (c == sep) (*seps)++;
        else if (c == '"' && csv_quotes) *quote = 1;
        i++;
    }
    return i;
}

/* The separator, and the quote of CSV (else the newline again), as 8-byte words. */
typedef struct {
    u64 sep;
    u64 quote;
} Words;

/* Position of the next newline, separator or (CSV) quote at or after i, or stop: eight
 * bytes at a time, then the exact byte from the lowest marked one. */
static inline i64 next_special(const u8 *buf, i64 i, i64 stop, const u8 *special, Words w) {
    const u64 nl_word = (u64)'\n' * ONES;
    while (i + 8 <= stop) {
        u64 x = load8(buf + i);
        u64 m = zero_bytes(x ^ nl_word) | zero_bytes(x ^ w.sep) | zero_bytes(x ^ w.quote);
        if (m) return i + (__builtin_ctzll(m) >> 3);
        i += 8;
    }
    while (i < stop && special[buf[i]] == 0) i++;
    return i;
}

/* Read a field from *j while its bytes are digits and dots, leaving *j on the first other
 * byte: 0 empty, 1 an unlisted dotted quad, 2 anything else (listed, malformed). The same
 * answer as addr_field_state for a field made of digits and dots only. */
static inline int digits_and_dots(const u8 *buf, i64 *j, i64 stop, const Tables *t) {
    i64 s = *j, k = s;
    u64 value = 0, octet = 0;
    int digits = 0, parts = 0, ok = 1;
    for (; k < stop; k++) {
        unsigned d = (unsigned)buf[k] - '0';
        if (d <= 9) {
            if (digits == 1 && octet == 0) ok = 0; /* a leading zero: the reader rejects it */
            octet = octet * 10 + d;
            digits++;
        } else if (buf[k] == '.') {
            if (digits == 0 || digits > 3 || octet > 255) ok = 0;
            value = (value << 8) | octet;
            parts++;
            octet = 0;
            digits = 0;
        } else {
            break;
        }
    }
    *j = k;
    i64 n = k - s;
    if (n == 0) return 0;
    if (!ok || n < 7 || n > 15 || parts != 3 || digits == 0 || digits > 3 || octet > 255)
        return 2;
    return listed(t, (value << 8) | octet) ? 2 : 1;
}

/* Only blanks, CRs (and CSV quotes) in buf[s:e]: a blank line, not a record. */
static int blank(const u8 *buf, i64 s, i64 e, int csv_quotes) {
    for (i64 j = s; j < e; j++) {
        u8 c = buf[j];
        if (c != ' ' && c != '\t' && c != '\r' && !(c == '"' && csv_quotes)) return 0;
    }
    return 1;
}

/* ---- JSON lines ------------------------------------------------------------------- */

typedef struct {
    const u8 *data;
    const i64 *off;
    const i64 *roles;
    i64 n;
} Keys;

static int json_role(const u8 *buf, i64 s, i64 e, const Keys *keys) {
    i64 n = e - s;
    for (i64 k = 0; k < keys->n; k++) {
        i64 a = keys->off[k];
        if (keys->off[k + 1] - a == n && n > 0 && buf[s] == keys->data[a] &&
            memcmp(buf + s, keys->data + a, (size_t)n) == 0)
            return (int)keys->roles[k];
    }
    return 0;
}

static int json_shape_ok(const u8 *buf, i64 s, i64 e) {
    i64 a = s, z = e;
    while (a < e && (buf[a] == ' ' || buf[a] == '\t')) a++;
    while (z > a && (buf[z - 1] == ' ' || buf[z - 1] == '\t')) z--;
    return z - a >= 2 && buf[a] == '{' && buf[z - 1] == '}';
}

/* Keep a JSON line if a value of an address key is not IPv4 outside the list, or a value
 * of a domain key may be listed. Only quoted strings are visited. */
static int json_keep(const u8 *buf, i64 s, i64 e, const Tables *t, int check_domains,
                     const Keys *keys) {
    const u64 q_word = (u64)'"' * ONES, b_word = (u64)'\\' * ONES;
    i64 i = s;
    int role = 0, after_key = 0, addresses = 0;
    while (i < e) {
        u8 c = buf[i];
        if (c != '"') {
            if (c == ':' && after_key) {
                after_key = 0; /* the value follows */
            } else if (c != ' ' && c != '\t' && c != ':') {
                role = 0; /* a non-string value: the pending role is spent */
                after_key = 0;
            }
            i++;
            continue;
        }
        i64 a = i + 1, j = a;
        int escaped = 0;
        for (;;) { /* to the closing quote: eight bytes at a time to a quote or backslash */
            while (j + 8 <= e) {
                u64 w = load8(buf + j);
                u64 m = zero_bytes(w ^ q_word) | zero_bytes(w ^ b_word);
                if (m) {
                    j += __builtin_ctzll(m) >> 3;
                    break;
                }
                j += 8;
            }
            while (j < e && buf[j] != '"' && buf[j] != '\\') j++;
            if (j >= e || buf[j] == '"') break;
            escaped = 1; /* a backslash: skip the escaped byte */
            j += 2;
        }
        if (j >= e) return 1; /* unterminated string: the reader decides */
        i64 k = j + 1;
        while (k < e && (buf[k] == ' ' || buf[k] == '\t')) k++;
        if (k < e && buf[k] == ':') {
            role = json_role(buf, a, j, keys);
            after_key = 1;
        } else if (role != 0) {
            if (escaped) return 1;
            if (role == 1) {
                int state = addr_field_state(buf, a, j, t);
                if (state == 2) return 1;
                addresses += state;
            } else if (check_domains && j > a) {
                if (name_hits(buf, a, j, t->bloom) || has_high_byte(buf, a, j)) return 1;
            }
            role = 0;
        }
        i = j + 1;
    }
    return addresses == 0;
}

/* ---- buffer helpers ----------------------------------------------------------------- */

/* Each entry point takes its buffers with "y*" (read) or "w*" (write) and releases them
 * all on the way out. */
#define MAXBUF 24
typedef struct {
    Py_buffer b[MAXBUF];
    int n;
} Bufs;

static void release(Bufs *bs) {
    for (int k = 0; k < bs->n; k++) PyBuffer_Release(&bs->b[k]);
    bs->n = 0;
}

static int too_small(const Py_buffer *b, i64 items, size_t width, const char *what) {
    if (items < 0 || (u64)b->len < (u64)items * width) {
        PyErr_Format(PyExc_ValueError, "%s: buffer too small", what);
        return 1;
    }
    return 0;
}

static int tables_from(Tables *t, Py_buffer *bitmap, Py_buffer *bounds, Py_buffer *covered,
                       Py_buffer *by16, Py_buffer *bloom, int check_domains) {
    if (too_small(bitmap, 1 << 21, 1, "bitmap") || too_small(by16, 65537, 8, "by16") ||
        too_small(covered, bounds->len / 8, 1, "covered"))
        return -1;
    if (check_domains && too_small(bloom, BLOOM_BITS / 8, 1, "bloom")) return -1;
    t->bitmap = bitmap->buf;
    t->bounds = bounds->buf;
    t->covered = covered->buf;
    t->by16 = by16->buf;
    t->bloom = check_domains ? bloom->buf : NULL; /* names are looked at only then */
    return 0;
}

/* ---- prefilter: delimited lines (CSV, Zeek TSV, W3C) -------------------------------- */

static PyObject *prefilter_delimited(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 start, stop, sep, n_sep, f1, f2, fd;
    int check_domains, first_is_header;
    if (!PyArg_ParseTuple(args, "y*LLy*y*y*y*y*ppLLLLLw*w*w*", &B[0], &start, &stop, &B[1],
                          &B[2], &B[3], &B[4], &B[5], &check_domains, &first_is_header, &sep,
                          &n_sep, &f1, &f2, &fd, &B[6], &B[7], &B[8]))
        return NULL;
    bs.n = 9;
    Tables t;
    i64 cap = B[6].len / 8;
    if (tables_from(&t, &B[1], &B[2], &B[3], &B[4], &B[5], check_domains) ||
        too_small(&B[7], cap, 8, "out_end") || too_small(&B[8], cap, 8, "out_line")) {
        release(&bs);
        return NULL;
    }
    if (start < 0 || stop > B[0].len || start > stop) {
        release(&bs);
        PyErr_SetString(PyExc_ValueError, "prefilter_delimited: bad range or tables");
        return NULL;
    }
    const u8 *buf = B[0].buf;
    i64 *out_start = B[6].buf, *out_end = B[7].buf, *out_line = B[8].buf;
    i64 n = 0, line = 0, skipped = 0, i = start;
    int csv_quotes = sep == ',';
    u8 special[256] = {0};
    special['\n'] = 1;
    special[(u8)sep] = 1;
    if (csv_quotes) special['"'] = 1;
    Words words = {(u64)sep * ONES, csv_quotes ? (u64)'"' * ONES : (u64)'\n' * ONES};
    i64 last = f1 > f2 ? f1 : f2;
    last = last > fd ? last : fd; /* past this field only the separators still matter */
    Py_BEGIN_ALLOW_THREADS
    while (i < stop) {
        i64 s = i;
        int keep;
        if (buf[i] == '#' || (first_is_header && line == 0 && s == 0)) {
            keep = 1;
            const u8 *nl = memchr(buf + i, '\n', (size_t)(stop - i));
            i = nl ? nl - buf : stop;
        } else {
            keep = 0;
            i64 count = 0, field = s;
            int quoted = 0, addresses = 0;
            for (;;) {
                int state = -1;
                if (!keep && i == field && (count == f1 || count == f2)) {
                    /* An address field read while it is scanned: a run of digits and
                     * dots ended by the separator or the newline is decided here; any
                     * other field (quoted, '-', IPv6, CR...) is scanned on below and
                     * decided by addr_field_state, as before. */
                    i64 j = i;
                    state = digits_and_dots(buf, &j, stop, &t);
                    u8 end = j < stop ? buf[j] : '\n';
                    if (end != (u8)sep && end != '\n') state = -1;
                    i = j;
                }
                if (state < 0) i = next_special(buf, i, stop, special, words);
                u8 c = i < stop ? buf[i] : '\n';
                if (c != '\n' && (quoted || c != sep)) {
                    if (c == '"' && csv_quotes) quoted = !quoted;
                    i++;
                    continue;
                }
                i64 e = i;
                if (c == '\n' && e > field && buf[e - 1] == '\r') e--;
                if (!keep) {
                    if (count == f1 || count == f2) {
                        if (state < 0) state = addr_field_state(buf, field, e, &t);
                        if (state == 2) keep = 1;
                        addresses += state;
                    } else if (count == fd && check_domains && e > field) {
                        if (name_hits(buf, field, e, t.bloom) || has_high_byte(buf, field, e))
                            keep = 1;
                    }
                }
                count++;
                field = i + 1;
                if (c == '\n') break;
                i++;
                if (count > last) {
                    /* Tail: only separators up to the newline matter; a quote there
                     * would need the CSV rules: keep the line, the reader decides. */
                    i64 seps = 0;
                    int quote = 0;
                    i = tail(buf, i, stop, (u8)sep, csv_quotes, &seps, &quote);
                    keep = keep || quote;
                    count += seps + 1;
                    break;
                }
            }
            if (count <= 1 && blank(buf, s, i, csv_quotes)) {
                i++;
                line++;
                continue; /* blank line: not a record */
            }
            if (count - 1 != n_sep || addresses == 0) keep = 1;
        }
        i64 e = i;
        while (e > s && buf[e - 1] == '\r') e--;
        i++; /* past the newline */
        if (keep) {
            out_start[n] = s;
            out_end[n] = e;
            out_line[n] = line;
            n++;
        } else {
            skipped++;
        }
        line++;
        if (n == cap) break;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return Py_BuildValue("LLLL", n, i, line, skipped);
}

/* ---- prefilter: JSON lines and free-text (syslog) lines ----------------------------- */

static PyObject *prefilter_lines(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 start, stop;
    int check_domains, has_v6, first_is_header, want_json;
    if (!PyArg_ParseTuple(args, "y*LLy*y*y*y*y*ppppy*y*y*y*y*w*w*w*", &B[0], &start, &stop,
                          &B[1], &B[2], &B[3], &B[4], &B[5], &check_domains, &has_v6,
                          &first_is_header, &want_json, &B[6], &B[7], &B[8], &B[9], &B[10],
                          &B[11], &B[12], &B[13]))
        return NULL;
    bs.n = 14;
    Tables t;
    i64 cap = B[11].len / 8;
    Keys keys = {B[6].buf, B[7].buf, B[8].buf, B[8].len / 8};
    const u8 *akdata = B[9].buf;
    const i64 *akoff = B[10].buf;
    i64 nak = B[10].len / 8 - 1;
    if (tables_from(&t, &B[1], &B[2], &B[3], &B[4], &B[5], check_domains) ||
        too_small(&B[7], keys.n + 1, 8, "key offsets") ||
        too_small(&B[12], cap, 8, "out_end") || too_small(&B[13], cap, 8, "out_line")) {
        release(&bs);
        return NULL;
    }
    if (start < 0 || stop > B[0].len || start > stop) {
        release(&bs);
        PyErr_SetString(PyExc_ValueError, "prefilter_lines: bad range or tables");
        return NULL;
    }
    const u8 *buf = B[0].buf;
    i64 *out_start = B[11].buf, *out_end = B[12].buf, *out_line = B[13].buf;
    i64 n = 0, line = 0, skipped = 0, i = start;
    Py_BEGIN_ALLOW_THREADS
    while (i < stop) {
        i64 s = i;
        const u8 *nl = memchr(buf + i, '\n', (size_t)(stop - i));
        i = nl ? nl - buf : stop;
        i64 e = i;
        i++; /* past the newline */
        while (e > s && buf[e - 1] == '\r') e--;
        i64 a = s;
        while (a < e && (buf[a] == ' ' || buf[a] == '\t')) a++;
        if (a < e) {
            int keep;
            if (buf[s] == '#' || (first_is_header && line == 0 && s == 0)) {
                keep = 1;
            } else if (want_json) {
                keep = !json_shape_ok(buf, s, e) || json_keep(buf, s, e, &t, check_domains, &keys);
            } else {
                /* Lines without any address go to the reader too, which rejects them (or
                 * reads a name-only DNS record): counts match the exact path. */
                keep = line_state(buf, s, e, &t, check_domains, has_v6) != 1;
                if (!keep && nak > 0) keep = keyed_values_suspect(buf, s, e, akdata, akoff, nak, &t);
            }
            if (keep) {
                out_start[n] = s;
                out_end[n] = e;
                out_line[n] = line;
                n++;
            } else {
                skipped++;
            }
        }
        line++;
        if (n == cap) break;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return Py_BuildValue("LLLL", n, i, line, skipped);
}

/* ---- hit rows of delimited lines, without the reader -------------------------------- */

/* buf[s:e] is a dotted quad by addr.IPV4_RE's rules (no leading zeros). */
static int strict_ipv4(const u8 *buf, i64 s, i64 e, u64 *out) {
    if (e - s < 7 || e - s > 15) return 0;
    u64 value = 0, octet = 0;
    int digits = 0, parts = 0, lead_zero = 0;
    for (i64 j = s; j < e; j++) {
        u8 c = buf[j];
        if (c >= '0' && c <= '9') {
            if (digits == 0) lead_zero = c == '0';
            else if (lead_zero) return 0;
            octet = octet * 10 + (c - '0');
            if (++digits > 3) return 0;
        } else if (c == '.' && digits > 0 && octet <= 255 && parts < 3) {
            value = (value << 8) | octet;
            parts++;
            octet = 0;
            digits = 0;
        } else {
            return 0;
        }
    }
    if (parts != 3 || digits == 0 || octet > 255) return 0;
    *out = (value << 8) | octet;
    return 1;
}

static int unset(const u8 *buf, i64 s, i64 e, int dash) {
    i64 n = e - s;
    if (n == 0) return 1;
    if (!dash) return 0;
    return (n == 1 && buf[s] == '-') || (n == 7 && buf[s] == '(' && buf[e - 1] == ')');
}

static PyObject *plain_rows(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 sep, n_fields;
    int dash;
    if (!PyArg_ParseTuple(args, "y*y*y*LLy*y*pw*w*w*", &B[0], &B[1], &B[2], &sep, &n_fields,
                          &B[3], &B[4], &dash, &B[5], &B[6], &B[7]))
        return NULL;
    bs.n = 8;
    i64 rows = B[1].len / 8, nw = B[3].len / 8;
    if (too_small(&B[2], rows, 8, "ends") || too_small(&B[4], nw, 1, "roles") ||
        too_small(&B[5], nw * rows, 8, "fs") || too_small(&B[6], nw * rows, 8, "fe") ||
        too_small(&B[7], rows, 1, "plain")) {
        release(&bs);
        return NULL;
    }
    const u8 *buf = B[0].buf;
    const i64 *starts = B[1].buf, *ends = B[2].buf, *wanted = B[3].buf;
    const u8 *roles = B[4].buf;
    i64 *fs = B[5].buf, *fe = B[6].buf;
    u8 *plain = B[7].buf;
    for (i64 k = 0; k < rows; k++) {
        if (starts[k] < 0 || ends[k] > B[0].len) {
            release(&bs);
            PyErr_SetString(PyExc_ValueError, "plain_rows: line outside the block");
            return NULL;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (i64 k = 0; k < rows; k++) {
        i64 s = starts[k], e = ends[k];
        plain[k] = 0;
        if (e <= s || buf[s] == '#') continue;
        i64 field = 0, a = s;
        int ok = 1;
        for (i64 j = s; j <= e; j++) {
            u8 c = j < e ? buf[j] : (u8)sep;
            if (c == '"' || c == '\r') {
                ok = 0;
                break;
            }
            if (c == (u8)sep) {
                for (i64 w = 0; w < nw; w++)
                    if (wanted[w] == field) {
                        fs[w * rows + k] = a;
                        fe[w * rows + k] = j;
                    }
                field++;
                a = j + 1;
            }
        }
        if (!ok || field != n_fields) continue;
        int addresses = 0;
        for (i64 w = 0; w < nw; w++) {
            if (!roles[w] || wanted[w] < 0) continue;
            u64 v;
            if (strict_ipv4(buf, fs[w * rows + k], fe[w * rows + k], &v)) addresses++;
            else if (!unset(buf, fs[w * rows + k], fe[w * rows + k], dash)) ok = 0;
        }
        plain[k] = ok && addresses > 0;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- column helpers of the exact path ----------------------------------------------- */

/* Dotted-quad IPv4 per string of an Arrow string column (32- or 64-bit offsets). */
static PyObject *parse_ipv4_strings(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    int wide;
    if (!PyArg_ParseTuple(args, "y*y*py*w*w*", &B[0], &B[1], &wide, &B[2], &B[3], &B[4]))
        return NULL;
    bs.n = 5;
    i64 n = B[3].len, width = wide ? 8 : 4;
    if (too_small(&B[1], n + 1, (size_t)width, "offsets") || too_small(&B[2], n, 1, "valid") ||
        too_small(&B[4], n, 4, "out")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf;
    u8 *ok = B[3].buf;
    uint32_t *out = B[4].buf;
    const int32_t *o32 = B[1].buf;
    const i64 *o64 = B[1].buf;
    for (i64 k = 0; k < n; k++) {
        i64 s = wide ? o64[k] : o32[k], e = wide ? o64[k + 1] : o32[k + 1];
        if (!valid[k] || s < 0 || e > B[0].len) continue;
        u64 v;
        if (strict_ipv4(data, s, e, &v)) {
            ok[k] = 1;
            out[k] = (uint32_t)v;
        }
    }
    release(&bs);
    Py_RETURN_NONE;
}

/* Elementary segment of each IPv4 value, via the /16 index (0 below the first bound). */
static PyObject *v4_segments(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &B[0], &B[1], &B[2], &B[3])) return NULL;
    bs.n = 4;
    i64 n = B[0].len / 8;
    if (too_small(&B[2], 65537, 8, "by16") || too_small(&B[3], n, 8, "out")) {
        release(&bs);
        return NULL;
    }
    const u64 *values = B[0].buf, *bounds = B[1].buf;
    const i64 *by16 = B[2].buf;
    i64 *out = B[3].buf;
    for (i64 k = 0; k < n; k++) {
        if (values[k] > 0xFFFFFFFFull) {
            release(&bs);
            PyErr_SetString(PyExc_ValueError, "v4_segments: value is not an IPv4 address");
            return NULL;
        }
        i64 seg = segment_of(bounds, by16, values[k]);
        out[k] = seg > 0 ? seg : 0;
    }
    release(&bs);
    Py_RETURN_NONE;
}

/* Copy line k (data[starts[k]:], offsets[k + 1] - offsets[k] bytes) to out[offsets[k]:]. */
static PyObject *gather(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &B[0], &B[1], &B[2], &B[3])) return NULL;
    bs.n = 4;
    i64 n = B[1].len / 8;
    if (too_small(&B[2], n + 1, 8, "offsets")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf;
    const i64 *starts = B[1].buf, *offsets = B[2].buf;
    u8 *out = B[3].buf;
    for (i64 k = 0; k < n; k++) {
        i64 len = offsets[k + 1] - offsets[k];
        if (len < 0 || starts[k] < 0 || starts[k] + len > B[0].len || offsets[k] < 0 ||
            offsets[k + 1] > B[3].len) {
            release(&bs);
            PyErr_SetString(PyExc_ValueError, "gather: range outside the buffers");
            return NULL;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    for (i64 k = 0; k < n; k++)
        memcpy(out + offsets[k], data + starts[k], (size_t)(offsets[k + 1] - offsets[k]));
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* Split unquoted lines at sep; positions of the wanted fields; right field count? */
static PyObject *split_fields(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 sep, n_fields;
    if (!PyArg_ParseTuple(args, "y*y*LLy*w*w*w*", &B[0], &B[1], &sep, &n_fields, &B[2], &B[3],
                          &B[4], &B[5]))
        return NULL;
    bs.n = 6;
    i64 n = B[5].len, nw = B[2].len / 8;
    if (too_small(&B[1], n + 1, 8, "offsets") || too_small(&B[3], nw * n, 8, "starts") ||
        too_small(&B[4], nw * n, 8, "ends")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf;
    const i64 *offsets = B[1].buf, *wanted = B[2].buf;
    i64 *starts = B[3].buf, *ends = B[4].buf;
    u8 *good = B[5].buf;
    if (n && (offsets[0] < 0 || offsets[n] > B[0].len)) {
        release(&bs);
        PyErr_SetString(PyExc_ValueError, "split_fields: offsets outside the data");
        return NULL;
    }
    for (i64 k = 0; k < n; k++) {
        i64 s = offsets[k], e = offsets[k + 1], field = 0, a = s;
        for (i64 j = s; j <= e; j++) {
            if (j == e || data[j] == (u8)sep) {
                for (i64 w = 0; w < nw; w++)
                    if (wanted[w] == field) {
                        starts[w * n + k] = a;
                        ends[w * n + k] = j;
                    }
                field++;
                a = j + 1;
            }
        }
        good[k] = field == n_fields;
    }
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- domains ------------------------------------------------------------------------ */

/* Bloom filter of the domain keys (already lower case), hashed right to left. */
static PyObject *bloom_fill(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*w*", &B[0], &B[1], &B[2])) return NULL;
    bs.n = 3;
    i64 n = B[1].len / 8 - 1;
    if (too_small(&B[2], BLOOM_BITS / 8, 1, "bloom")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf;
    const i64 *off = B[1].buf;
    u8 *bloom = B[2].buf;
    for (i64 k = 0; k < n; k++) {
        u64 h1 = H1_SEED, h2 = H2_SEED;
        for (i64 j = off[k + 1] - 1; j >= off[k]; j--) hash_step(&h1, &h2, data[j]);
        u64 a = h1 & (BLOOM_BITS - 1), b = h2 & (BLOOM_BITS - 1);
        bloom[a >> 3] |= (u8)(1u << (a & 7));
        bloom[b >> 3] |= (u8)(1u << (b & 7));
    }
    release(&bs);
    Py_RETURN_NONE;
}

/* FNV-1a (64-bit) of each whole string, hashed right to left as domain_suffixes does. */
static PyObject *suffix_hashes(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*w*", &B[0], &B[1], &B[2])) return NULL;
    bs.n = 3;
    i64 n = B[1].len / 8 - 1;
    if (too_small(&B[2], n, 8, "out")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf;
    const i64 *off = B[1].buf;
    u64 *out = B[2].buf;
    for (i64 k = 0; k < n; k++) {
        u64 h = FNV_OFFSET;
        for (i64 j = off[k + 1] - 1; j >= off[k]; j--) h = (h ^ data[j]) * FNV_PRIME;
        out[k] = h;
    }
    release(&bs);
    Py_RETURN_NONE;
}

/* For each name, every suffix starting at a label found among the listed keys:
 * (row, key position, dots inside the suffix made labels stripped). -1: out is full. */
static PyObject *domain_suffixes(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*w*w*w*", &B[0], &B[1], &B[2], &B[3], &B[4],
                          &B[5], &B[6], &B[7], &B[8], &B[9]))
        return NULL;
    bs.n = 10;
    i64 names = B[1].len / 8 - 1, nh = B[3].len / 8, cap = B[7].len / 8;
    if (too_small(&B[2], names, 1, "valid") || too_small(&B[4], nh, 8, "order") ||
        too_small(&B[8], cap, 8, "keys") || too_small(&B[9], cap, 8, "levels")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf, *kdata = B[5].buf;
    const i64 *offsets = B[1].buf, *order = B[4].buf, *koff = B[6].buf;
    const u64 *hashes = B[3].buf;
    i64 *rows = B[7].buf, *keys = B[8].buf, *levels = B[9].buf;
    i64 n = 0;
    for (i64 k = 0; k < names && n >= 0; k++) {
        if (!valid[k]) continue;
        i64 s = offsets[k], e = offsets[k + 1], first_hit = n, dots = 0;
        u64 h = FNV_OFFSET;
        for (i64 j = e - 1; j >= s && n >= 0; j--) {
            u8 c = data[j];
            h = (h ^ c) * FNV_PRIME;
            if (c == '.') dots++;
            if (j != s && data[j - 1] != '.') continue;
            i64 lo = 0, hi = nh;
            while (lo < hi) {
                i64 mid = lo + ((hi - lo) >> 1);
                if (hashes[mid] < h) lo = mid + 1;
                else hi = mid;
            }
            for (i64 p = lo; p < nh && hashes[p] == h; p++) {
                i64 key = order[p], a = koff[key];
                if (koff[key + 1] - a == e - j && memcmp(kdata + a, data + j, (size_t)(e - j)) == 0) {
                    if (n == cap) {
                        n = -1;
                        break;
                    }
                    rows[n] = k;
                    keys[n] = key;
                    levels[n] = dots; /* dots inside the suffix; made "stripped" below */
                    n++;
                }
            }
        }
        for (i64 t = first_hit; t < n; t++) levels[t] = dots - levels[t];
    }
    release(&bs);
    return PyLong_FromLongLong(n);
}

static PyMethodDef METHODS[] = {
    {"prefilter_delimited", prefilter_delimited, METH_VARARGS, "Prefilter delimited lines."},
    {"prefilter_lines", prefilter_lines, METH_VARARGS, "Prefilter JSON or free-text lines."},
    {"plain_rows", plain_rows, METH_VARARGS, "Plain hit rows of delimited lines."},
    {"parse_ipv4_strings", parse_ipv4_strings, METH_VARARGS, "Dotted quads of a column."},
    {"v4_segments", v4_segments, METH_VARARGS, "Elementary segment of IPv4 values."},
    {"gather", gather, METH_VARARGS, "Copy chosen ranges into one buffer."},
    {"split_fields", split_fields, METH_VARARGS, "Split unquoted lines at a separator."},
    {"bloom_fill", bloom_fill, METH_VARARGS, "Fill the domain Bloom filter."},
    {"suffix_hashes", suffix_hashes, METH_VARARGS, "FNV-1a hashes of strings."},
    {"domain_suffixes", domain_suffixes, METH_VARARGS, "Listed label-level suffixes."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef MODULE = {PyModuleDef_HEAD_INIT, "_scan",
                                    "Compiled scanning kernels of the matching engine.", -1,
                                    METHODS};

PyMODINIT_FUNC PyInit__scan(void) {
    init_classes();
    return PyModule_Create(&MODULE);
}
