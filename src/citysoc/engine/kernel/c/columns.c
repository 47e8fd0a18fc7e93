/* Hit rows of delimited lines and the column helpers of the exact path. */
#include "fields.h"

/* ---- hit rows of delimited lines, without the reader -------------------------------- */

#define NO_SEGMENT (-1)
#define MAX_ROLE_FIELD 64

/* How plain_hits splits a line a word at a time: the wanted role of each field (-1 none),
 * and what next_special stops at (the separator, the quote). */
typedef struct {
    signed char role_of[MAX_ROLE_FIELD];
    u8 special[256];
    Words words;
} Split;

/* Fill split for the wanted fields; 0 when they cannot be told by a table (a field wanted
 * twice or past MAX_ROLE_FIELD): the byte loop is used then. */
static int split_for(Split *split, u8 sep, const i64 *wanted, i64 nw) {
    memset(split->role_of, -1, sizeof split->role_of);
    memset(split->special, 0, sizeof split->special);
    for (i64 w = 0; w < nw; w++) {
        if (wanted[w] < 0) continue;
        if (wanted[w] >= MAX_ROLE_FIELD || split->role_of[wanted[w]] >= 0) return 0;
        split->role_of[wanted[w]] = (signed char)w;
    }
    split->special['\n'] = split->special[sep] = split->special['"'] = 1;
    split->words.sep = (u64)sep * ONES;
    split->words.quote = (u64)'"' * ONES;
    return 1;
}

/* Is line k (buf[s:e]) plain? Fills the positions of the wanted fields (fs/fe, one row of
 * `rows` per wanted field) and, when segs is given, the segment of each address field
 * (segs[w * rows + k]: the covered elementary segment holding it, else NO_SEGMENT). */
static inline int plain_line(const u8 *buf, i64 s, i64 e, u8 sep, i64 n_fields,
                             const i64 *wanted, const u8 *roles, i64 nw, i64 rows, i64 k,
                             int dash, i64 *fs, i64 *fe, const Tables *t, i64 *segs,
                             const Split *split) {
    if (e <= s || buf[s] == '#') return 0;
    i64 field = 0, a = s;
    if (split) {
        /* Eight bytes at a time to the next separator or quote; a CR anywhere: not plain. */
        if (memchr(buf + s, '\r', (size_t)(e - s))) return 0;
        for (i64 j = s;; a = ++j) {
            j = next_special(buf, j, e, split->special, split->words);
            if (j < e && buf[j] != sep) return 0; /* a quote */
            int w = field < MAX_ROLE_FIELD ? split->role_of[field] : -1;
            if (w >= 0) {
                fs[w * rows + k] = a;
                fe[w * rows + k] = j;
            }
            field++;
            if (j >= e) break;
        }
    } else {
        for (i64 j = s; j <= e; j++) {
            u8 c = j < e ? buf[j] : sep;
            if (c == '"' || c == '\r') return 0;
            if (c == sep) {
                for (i64 w = 0; w < nw; w++)
                    if (wanted[w] == field) {
                        fs[w * rows + k] = a;
                        fe[w * rows + k] = j;
                    }
                field++;
                a = j + 1;
            }
        }
    }
    if (field != n_fields) return 0;
    int addresses = 0, ok = 1;
    for (i64 w = 0; w < nw; w++) {
        if (segs) segs[w * rows + k] = NO_SEGMENT;
        if (!roles[w] || wanted[w] < 0) continue;
        u64 v;
        if (strict_ipv4(buf, fs[w * rows + k], fe[w * rows + k], &v)) {
            addresses++;
            if (segs) {
                /* As the exact path: the /24 bitmap, then the segment in its /16. */
                u64 s24 = v >> 8;
                i64 seg = ((t->bitmap[s24 >> 3] >> (s24 & 7)) & 1) ? segment_of(t->bounds, t->by16, v) : -1;
                if (seg >= 0 && t->covered[seg]) segs[w * rows + k] = seg;
            }
        } else if (!unset(buf, fs[w * rows + k], fe[w * rows + k], dash)) {
            ok = 0;
        }
    }
    return ok && addresses > 0;
}

/* The arguments plain_rows and plain_hits share, checked. */
typedef struct {
    const u8 *buf;
    const i64 *starts, *ends, *wanted;
    const u8 *roles;
    i64 rows, nw, sep, n_fields;
    int dash;
    i64 *fs, *fe;
    u8 *plain;
} PlainArgs;

static int plain_args(PlainArgs *p, Py_buffer *B, i64 sep, i64 n_fields, int dash) {
    p->rows = B[1].len / 8;
    p->nw = B[3].len / 8;
    if (too_small(&B[2], p->rows, 8, "ends") || too_small(&B[4], p->nw, 1, "roles") ||
        too_small(&B[5], p->nw * p->rows, 8, "fs") || too_small(&B[6], p->nw * p->rows, 8, "fe") ||
        too_small(&B[7], p->rows, 1, "plain"))
        return -1;
    p->buf = B[0].buf;
    p->starts = B[1].buf;
    p->ends = B[2].buf;
    p->wanted = B[3].buf;
    p->roles = B[4].buf;
    p->fs = B[5].buf;
    p->fe = B[6].buf;
    p->plain = B[7].buf;
    p->sep = sep;
    p->n_fields = n_fields;
    p->dash = dash;
    for (i64 k = 0; k < p->rows; k++) {
        if (p->starts[k] < 0 || p->ends[k] > B[0].len) {
            PyErr_SetString(PyExc_ValueError, "plain_rows: line outside the block");
            return -1;
        }
    }
    return 0;
}

/* plain_rows keeps the byte loop (the reference the tests compare plain_hits with). */
static void plain_scan(const PlainArgs *p, const Tables *t, i64 *segs, int words) {
    Split split;
    const Split *by_words = words && split_for(&split, (u8)p->sep, p->wanted, p->nw) ? &split : NULL;
    for (i64 k = 0; k < p->rows; k++)
        p->plain[k] = (u8)plain_line(p->buf, p->starts[k], p->ends[k], (u8)p->sep, p->n_fields,
                                     p->wanted, p->roles, p->nw, p->rows, k, p->dash, p->fs,
                                     p->fe, t, segs, by_words);
}

PyObject *scan_plain_rows(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 sep, n_fields;
    int dash;
    if (!PyArg_ParseTuple(args, "y*y*y*LLy*y*pw*w*w*", &B[0], &B[1], &B[2], &sep, &n_fields,
                          &B[3], &B[4], &dash, &B[5], &B[6], &B[7]))
        return NULL;
    bs.n = 8;
    PlainArgs p;
    if (plain_args(&p, B, sep, n_fields, dash)) {
        release(&bs);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    plain_scan(&p, NULL, NULL, 0);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* ---- column helpers of the exact path ----------------------------------------------- */

/* Dotted-quad IPv4 per string of an Arrow string column (32- or 64-bit offsets). */
PyObject *scan_parse_ipv4_strings(PyObject *self, PyObject *args) {
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
PyObject *scan_v4_segments(PyObject *self, PyObject *args) {
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
PyObject *scan_gather(PyObject *self, PyObject *args) {
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
PyObject *scan_split_fields(PyObject *self, PyObject *args) {
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

/* plain_rows, and the covered segment of each address field of a plain line (the exact
 * path's lookup, done here so that hit rows need no second parse and search). */
PyObject *scan_plain_hits(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    i64 sep, n_fields;
    int dash;
    if (!PyArg_ParseTuple(args, "y*y*y*LLy*y*pw*w*w*y*y*y*y*w*", &B[0], &B[1], &B[2], &sep,
                          &n_fields, &B[3], &B[4], &dash, &B[5], &B[6], &B[7], &B[8], &B[9],
                          &B[10], &B[11], &B[12]))
        return NULL;
    bs.n = 13;
    PlainArgs p;
    Tables t;
    if (plain_args(&p, B, sep, n_fields, dash) ||
        tables_from(&t, &B[8], &B[9], &B[10], &B[11], NULL, 0) ||
        too_small(&B[12], p.nw * p.rows, 8, "segs")) {
        release(&bs);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    plain_scan(&p, &t, B[12].buf, 1);
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}
