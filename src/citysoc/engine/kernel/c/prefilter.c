/* The line prefilter: which lines of a raw block may hit (see kernel/prefilter.py). */
#include "fields.h"

/* Byte classes of the generic token scan, filled once when the module loads. */
static u8 CLS[256];

void scan_init_classes(void) {
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

/* Where a scan writes the kept lines: start, end (without the line end) and line index. */
typedef struct {
    i64 *start, *end, *line;
} Out;

/* A line scanned: kept lines go to out (n of them so far), the others count as skipped. */
static inline void emit(const Out *out, int keep, i64 s, i64 e, i64 line, i64 *n, i64 *skipped) {
    if (keep) {
        out->start[*n] = s;
        out->end[*n] = e;
        out->line[*n] = line;
        (*n)++;
    } else {
        (*skipped)++;
    }
}

/* ---- prefilter: delimited lines (CSV, Zeek TSV, W3C) -------------------------------- */

PyObject *scan_prefilter_delimited(PyObject *self, PyObject *args) {
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
    Out out = {B[6].buf, B[7].buf, B[8].buf};
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
        emit(&out, keep, s, e, line, &n, &skipped);
        line++;
        if (n == cap) break;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return Py_BuildValue("LLLL", n, i, line, skipped);
}

/* ---- prefilter: JSON lines and free-text (syslog) lines ----------------------------- */

PyObject *scan_prefilter_lines(PyObject *self, PyObject *args) {
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
    Out out = {B[11].buf, B[12].buf, B[13].buf};
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
            emit(&out, keep, s, e, line, &n, &skipped);
        }
        line++;
        if (n == cap) break;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return Py_BuildValue("LLLL", n, i, line, skipped);
}
