/* Hit rows of delimited lines and the column helpers of the exact path. */
#include "fields.h"

/* ---- hit rows of delimited lines, without the reader -------------------------------- */
PyObject *scan_plain_rows(PyObject *self, PyObject *args) {
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
