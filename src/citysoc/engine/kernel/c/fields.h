/* Per-field checks of the scanning kernels: an address field, a name, the tail of a
 * delimited line, a JSON line's keys and values. Static inline: the scans inline them. */
#ifndef CITYSOC_FIELDS_H
#define CITYSOC_FIELDS_H
#include "scan.h"

/* True if a dot-suffix of the name buf[s:e] may be a listed domain (hashed from the right,
 * lower-cased, tested at each label start once a letter was seen). */
static inline int name_hits(const u8 *buf, i64 s, i64 e, const u8 *bloom) {
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
static inline int v4_state(const u8 *buf, i64 s, i64 e, const Tables *t) {
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
static inline int addr_field_state(const u8 *buf, i64 s, i64 e, const Tables *t) {
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

/* From i to the newline: the newline's position (or stop); separators and quotes seen.
 * The newline is found by memchr, then the separators are counted eight bytes at a time,
 * the last word masked to the line. */
static inline i64 tail(const u8 *buf, i64 i, i64 stop, u8 sep, int csv_quotes, i64 *seps,
                int *quote) {
    const u8 *nl = memchr(buf + i, '\n', (size_t)(stop - i));
    i64 e = nl ? nl - buf : stop;
    u64 sep_word = (u64)sep * ONES, q_word = (u64)'"' * ONES, quotes = 0;
    i64 count = 0;
    for (; i + 8 <= e; i += 8) {
        u64 w = load8(buf + i);
        count += (i64)((((zero_bytes(w ^ sep_word) >> 7) * ONES) >> 56));
        quotes |= first_zero(w ^ q_word);
    }
    if (i < e && i + 8 <= stop) {
        /* The bytes past the line are made zero, which is neither separator nor quote. */
        u64 w = load8(buf + i) & (~0ull >> (8 * (8 - (e - i))));
        u64 keep = ~0ull >> (8 * (8 - (e - i)));
        count += (i64)((((zero_bytes(w ^ sep_word) & keep) >> 7) * ONES) >> 56);
        quotes |= first_zero(w ^ q_word) & keep;
    } else {
        for (; i < e; i++) {
            if (buf[i] == sep) count++;
            else if (buf[i] == '"') quotes = 1;
        }
    }
    *seps += count;
    if (csv_quotes && quotes) *quote = 1;
    return e;
}

/* The separator, and the quote of CSV (else the newline again), as 8-byte words. */
typedef struct {
    u64 sep;
    u64 quote;
} Words;

/* Position of the next newline, separator or (CSV) quote at or after i, or stop: eight
 * bytes at a time, then the exact byte from the lowest marked one (first_zero's lowest
 * mark is exact, so the lowest of the three is too). */
static inline i64 next_special(const u8 *buf, i64 i, i64 stop, const u8 *special, Words w) {
    const u64 nl_word = (u64)'\n' * ONES;
    while (i + 8 <= stop) {
        u64 x = load8(buf + i);
        u64 m = first_zero(x ^ nl_word) | first_zero(x ^ w.sep) | first_zero(x ^ w.quote);
        if (m) return i + (__builtin_ctzll(m) >> 3);
        i += 8;
    }
    while (i < stop && special[buf[i]] == 0) i++;
    return i;
}

/* High bit set in each byte of x that is an ASCII digit, exactly: high nibble 3 and low
 * nibble at most 9 (low nibble + 6 carries into bit 4 from 10 on). */
static inline u64 digit_bytes(u64 x) {
    u64 high3 = zero_bytes((x & 0xF0F0F0F0F0F0F0F0ull) ^ 0x3030303030303030ull);
    u64 over9 = ((x & 0x0F0F0F0F0F0F0F0Full) + 0x0606060606060606ull) << 3;
    return high3 & ~over9 & 0x8080808080808080ull;
}

/* The high bits of the eight bytes of m (as zero_bytes gives them) as an 8-bit mask, byte k
 * in bit k: one multiply gathers them into the top byte, without carries. */
static inline unsigned pack8(u64 m) {
    return (unsigned)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

/* The low nibbles of the octet of len (1 to 3) digits at p[s:] (8 bytes readable there),
 * right-aligned in three bytes: hundreds, tens, ones (0 where the octet is shorter). */
static inline u64 octet_slot(const u8 *p, int s, int len) {
    return ((load8(p + s) & 0x0F0F0Full) << (24 - 8 * len)) & 0xFFFFFFull;
}

/* Two octet slots, one per 32-bit lane, summed as numbers in both lanes at once. */
static inline u64 two_octets(u64 lo, u64 hi) {
    const u64 byte = 0x000000FF000000FFull;
    u64 x = lo | (hi << 32);
    return (x & byte) * 100 + ((x >> 8) & byte) * 10 + ((x >> 16) & byte);
}

/* digits_and_dots on 24 readable bytes at p, without a loop per byte: the run of digits and
 * dots and its dots are found as bit masks of two 8-byte words, then the four octets are
 * read by their lengths, two at a time, with no branch on a length (octet lengths are
 * random in logs: a branch would mispredict). Sets *len to the run's length; -1 when the
 * run fills the first 16 bytes (the byte loop decides). */
static inline int quad16(const u8 *p, int *len, u64 *value) {
    /* Smallest value of an octet of 1, 2, 3 digits without a leading zero (which the
     * reader rejects). */
    static const u64 lowest[4] = {0, 0, 10, 100};
    const u64 dots_word = (u64)'.' * ONES;
    u64 w0 = load8(p), w1 = load8(p + 8);
    unsigned dots = pack8(zero_bytes(w0 ^ dots_word)) | pack8(zero_bytes(w1 ^ dots_word)) << 8;
    unsigned digits = pack8(digit_bytes(w0)) | pack8(digit_bytes(w1)) << 8;
    unsigned other = ~(dots | digits) & 0xFFFFu;
    if (other == 0) return -1;
    int n = __builtin_ctz(other);
    *len = n;
    if (n == 0) return 0;
    if (n < 7) return 2;
    dots &= (1u << n) - 1;
    int d1 = __builtin_ctz(dots | 0x10000u);
    dots &= dots - 1;
    int d2 = __builtin_ctz(dots | 0x10000u);
    dots &= dots - 1;
    int d3 = __builtin_ctz(dots | 0x10000u);
    dots &= dots - 1;
    if (dots != 0 || d3 >= n) return 2; /* not exactly three dots */
    int l0 = d1, l1 = d2 - d1 - 1, l2 = d3 - d2 - 1, l3 = n - d3 - 1;
    if ((unsigned)(l0 - 1) > 2 || (unsigned)(l1 - 1) > 2 || (unsigned)(l2 - 1) > 2 ||
        (unsigned)(l3 - 1) > 2)
        return 2; /* an octet of 0 or more than 3 digits */
    u64 v01 = two_octets(octet_slot(p, 0, l0), octet_slot(p, d1 + 1, l1));
    u64 v23 = two_octets(octet_slot(p, d2 + 1, l2), octet_slot(p, d3 + 1, l3));
    /* Each lane at most 255, and not below its lowest value: a lane below it borrows, which
     * sets the lane's top bit (the lane above may then be off by one: refused anyway). */
    u64 low01 = lowest[l0] | lowest[l1] << 32, low23 = lowest[l2] | lowest[l3] << 32;
    if (((v01 | v23) & 0xFFFFFF00FFFFFF00ull) |
        (((v01 - low01) | (v23 - low23)) & 0x8000000080000000ull))
        return 2;
    *value = (v01 & 0xFF) << 24 | (v01 >> 32) << 16 | (v23 & 0xFF) << 8 | (v23 >> 32);
    return 1;
}

/* Read a field from *j while its bytes are digits and dots, leaving *j on the first other
 * byte: 0 empty, 1 an unlisted dotted quad, 2 anything else (listed, malformed). The same
 * answer as addr_field_state for a field made of digits and dots only. */
static inline int digits_and_dots(const u8 *buf, i64 *j, i64 stop, const Tables *t) {
    i64 s = *j, k = s;
    if (s + 24 <= stop) {
        int len;
        u64 v;
        int state = quad16(buf + s, &len, &v);
        if (state >= 0) {
            *j = s + len;
            if (state != 1) return state;
            return listed(t, v) ? 2 : 1;
        }
    }
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
static inline int blank(const u8 *buf, i64 s, i64 e, int csv_quotes) {
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

static inline int json_role(const u8 *buf, i64 s, i64 e, const Keys *keys) {
    i64 n = e - s;
    for (i64 k = 0; k < keys->n; k++) {
        i64 a = keys->off[k];
        if (keys->off[k + 1] - a == n && n > 0 && buf[s] == keys->data[a] &&
            memcmp(buf + s, keys->data + a, (size_t)n) == 0)
            return (int)keys->roles[k];
    }
    return 0;
}

static inline int json_shape_ok(const u8 *buf, i64 s, i64 e) {
    i64 a = s, z = e;
    while (a < e && (buf[a] == ' ' || buf[a] == '\t')) a++;
    while (z > a && (buf[z - 1] == ' ' || buf[z - 1] == '\t')) z--;
    return z - a >= 2 && buf[a] == '{' && buf[z - 1] == '}';
}

/* addr_field_state of the value buf[a:b], with 24 bytes readable from a before limit: a
 * dotted quad that fills the value is read 16 bytes at a time (quad16). */
static inline int value_state(const u8 *buf, i64 a, i64 b, i64 limit, const Tables *t) {
    if (a + 24 <= limit) {
        int len;
        u64 v;
        int state = quad16(buf + a, &len, &v);
        if (state >= 0 && len == b - a) return state == 1 ? (listed(t, v) ? 2 : 1) : state;
    }
    return addr_field_state(buf, a, b, t);
}

/* Keep a JSON line if a value of an address key is not IPv4 outside the list, or a value
 * of a domain key may be listed. Only quoted strings are visited. */
static inline int json_keep(const u8 *buf, i64 s, i64 e, const Tables *t, int check_domains,
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
                int state = value_state(buf, a, j, e, t);
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


/* buf[s:e] is a dotted quad by addr.IPV4_RE's rules (no leading zeros). */
static inline int strict_ipv4(const u8 *buf, i64 s, i64 e, u64 *out) {
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

static inline int unset(const u8 *buf, i64 s, i64 e, int dash) {
    i64 n = e - s;
    if (n == 0) return 1;
    if (!dash) return 0;
    return (n == 1 && buf[s] == '-') || (n == 7 && buf[s] == '(' && buf[e - 1] == ')');
}

#endif
