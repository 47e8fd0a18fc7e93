/* Reading a list column for the set build, straight from its Arrow buffers.
 *
 * text_flags tells whether refanging has anything to do; parse_v4_entries reads plain IPv4
 * addresses and CIDRs (the rules of entries._V4_CIDR_RE: dotted quad without leading zeros,
 * prefix 0-32 without a leading zero, no host bits set); parse_v6_entries reads IPv6
 * addresses and CIDRs with inet_pton/inet_ntop, the calls entries._plain_v6 makes; anything
 * else is left for the vectorised passes and `classify`. splice_strings writes the key
 * column (the entry text, or the key read for it) in one copy. The GIL is released during
 * the work; kernel/build.py wraps these, and a property test compares them with the
 * Arrow/NumPy path. */
#include "scan.h"

#include <arpa/inet.h>
#include <sys/socket.h>

/* 0-32 written without a leading zero (3[0-2]|[12]?[0-9]); -1 otherwise. */
static inline int prefix_length(const u8 *p, i64 len) {
    if (len == 1 && p[0] >= '0' && p[0] <= '9') return p[0] - '0';
    if (len != 2 || p[1] < '0' || p[1] > '9') return -1;
    if (p[0] == '1' || p[0] == '2') return (p[0] - '0') * 10 + (p[1] - '0');
    if (p[0] == '3' && p[1] <= '2') return 30 + (p[1] - '0');
    return -1;
}

/* The dotted quad at the start of p (1-3 digits per octet, no leading zero, at most 255):
 * the bytes it takes, 0 when there is none. strict_ipv4's rules, read octet by octet. */
static inline i64 quad_prefix(const u8 *p, i64 len, u64 *out) {
    i64 j = 0;
    u64 v = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (j >= len || p[j] != '.') return 0;
            j++;
        }
        if (j >= len || (unsigned)(p[j] - '0') > 9) return 0;
        unsigned octet = p[j++] - '0';
        if (j < len && (unsigned)(p[j] - '0') <= 9) {
            if (octet == 0) return 0; /* a leading zero */
            octet = octet * 10 + (p[j++] - '0');
            if (j < len && (unsigned)(p[j] - '0') <= 9) {
                octet = octet * 10 + (p[j++] - '0');
                if (octet > 255 || (j < len && (unsigned)(p[j] - '0') <= 9)) return 0;
            }
        }
        v = (v << 8) | octet;
    }
    *out = v;
    return j;
}

/* Per row: kind (0 ipv4, 1 cidr, -1 not read here), version (4 or 0), first and last
 * address (0 when not read). Every row is written. Returns the rows read. */
PyObject *scan_parse_v4_entries(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    int wide;
    if (!PyArg_ParseTuple(args, "y*y*py*w*w*w*w*", &B[0], &B[1], &wide, &B[2], &B[3], &B[4],
                          &B[5], &B[6]))
        return NULL;
    bs.n = 7;
    i64 n = B[2].len, width = wide ? 8 : 4;
    if (too_small(&B[1], n + 1, (size_t)width, "offsets") || too_small(&B[3], n, 1, "kinds") ||
        too_small(&B[4], n, 1, "version") || too_small(&B[5], n, 8, "lo") ||
        too_small(&B[6], n, 8, "hi")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf;
    int8_t *kinds = B[3].buf, *version = B[4].buf;
    u64 *lo = B[5].buf, *hi = B[6].buf;
    const int32_t *o32 = B[1].buf;
    const i64 *o64 = B[1].buf;
    i64 size = B[0].len, taken = 0;
    Py_BEGIN_ALLOW_THREADS
    for (i64 k = 0; k < n; k++) {
        i64 s = wide ? o64[k] : o32[k], e = wide ? o64[k + 1] : o32[k + 1];
        int8_t kind = -1;
        u64 first = 0, last = 0;
        u64 v = 0;
        i64 used = valid[k] && s >= 0 && e <= size && s < e ? quad_prefix(data + s, e - s, &v) : 0;
        if (used > 0 && used == e - s) {
            kind = 0;
            first = last = v;
        } else if (used > 0 && data[s + used] == '/') {
            int plen = prefix_length(data + s + used + 1, e - s - used - 1);
            u64 span = plen >= 0 ? 1ull << (32 - plen) : 0;
            if (plen >= 0 && (v & (span - 1)) == 0) {
                kind = 1;
                first = v;
                last = v + span - 1;
            }
        }
        kinds[k] = kind;
        version[k] = kind >= 0 ? 4 : 0;
        lo[k] = first;
        hi[k] = last;
        taken += kind >= 0;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return PyLong_FromLongLong(taken);
}

/* What the refanging of a list column has to do: (edge, marks). edge: some value starts or
 * ends with a byte that is not printable ASCII (it may be whitespace to trim); marks: some
 * value holds '[' or '(' or starts with "hxxp" or "fxp" (it may be defanged), and always
 * with edge. */
PyObject *scan_text_flags(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    int wide;
    if (!PyArg_ParseTuple(args, "y*y*py*", &B[0], &B[1], &wide, &B[2])) return NULL;
    bs.n = 3;
    i64 n = B[2].len, width = wide ? 8 : 4;
    if (too_small(&B[1], n + 1, (size_t)width, "offsets")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf;
    const int32_t *o32 = B[1].buf;
    const i64 *o64 = B[1].buf;
    i64 size = B[0].len;
    int edge = 0, marks = 0;
    Py_BEGIN_ALLOW_THREADS
    for (i64 k = 0; k < n && !edge; k++) {
        i64 s = wide ? o64[k] : o32[k], e = wide ? o64[k + 1] : o32[k + 1];
        if (!valid[k] || e <= s) continue;
        if (s < 0 || e > size) {
            edge = marks = 1; /* not a column this pass understands: do everything */
            break;
        }
        u8 first = data[s], last = data[e - 1];
        if (first < 0x21 || first > 0x7E || last < 0x21 || last > 0x7E) edge = 1;
        else if ((first == 'h' && e - s >= 4 && memcmp(data + s, "hxxp", 4) == 0) ||
                 (first == 'f' && e - s >= 3 && memcmp(data + s, "fxp", 3) == 0))
            marks = 1;
    }
    if (edge) marks = 1; /* trimming may bring a "hxxp" to the front: test them all */
    if (!edge && !marks && n > 0) {
        i64 s = wide ? o64[0] : o32[0], e = wide ? o64[n] : o32[n];
        if (s >= 0 && e <= size && s < e)
            marks = memchr(data + s, '[', (size_t)(e - s)) != NULL ||
                    memchr(data + s, '(', (size_t)(e - s)) != NULL;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return Py_BuildValue("(OO)", edge ? Py_True : Py_False, marks ? Py_True : Py_False);
}

/* IPv6 addresses and CIDRs of chosen rows, as entries._plain_v6 reads them with
 * inet_pton/inet_ntop (the same C library calls): per row, kind (3 ipv6, 1 cidr, -1 left
 * for the slow path: not ASCII, no ':', "://", IPv4-mapped, host bits set, a prefix that is
 * not 0-128 in ASCII digits), first and last address as 17-byte keys (a zero byte, then
 * big-endian), and the key text (inet_ntop for an address, the entry in lower case for a
 * CIDR) at key_offsets[r] .. key_offsets[r + 1] of key_data. */
PyObject *scan_parse_v6_entries(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    int wide;
    if (!PyArg_ParseTuple(args, "y*y*py*y*w*w*w*w*w*", &B[0], &B[1], &wide, &B[2], &B[3], &B[4],
                          &B[5], &B[6], &B[7], &B[8]))
        return NULL;
    bs.n = 9;
    i64 m = B[3].len / 8, n = B[2].len, width = wide ? 8 : 4, cap = B[7].len;
    if (too_small(&B[1], n + 1, (size_t)width, "offsets") || too_small(&B[4], m, 1, "kinds") ||
        too_small(&B[5], m, 17, "starts") || too_small(&B[6], m, 17, "ends") ||
        too_small(&B[8], m + 1, 4, "key_offsets") || cap >= (i64)(1ull << 31)) {
        release(&bs);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "parse_v6_entries: too big");
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf;
    const int32_t *o32 = B[1].buf;
    const i64 *o64 = B[1].buf, *rows = B[3].buf;
    int8_t *kinds = B[4].buf;
    u8 *starts = B[5].buf, *ends = B[6].buf, *kdata = B[7].buf;
    int32_t *koff = B[8].buf;
    i64 size = B[0].len;
    static const u8 MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    for (i64 r = 0; r < m; r++) {
        if (rows[r] < 0 || rows[r] >= n) {
            release(&bs);
            PyErr_SetString(PyExc_ValueError, "parse_v6_entries: row out of range");
            return NULL;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    i64 used = 0;
    koff[0] = 0;
    for (i64 r = 0; r < m; r++) {
        i64 k = rows[r];
        i64 s = wide ? o64[k] : o32[k], e = wide ? o64[k + 1] : o32[k + 1];
        u8 *first = starts + 17 * r, *last = ends + 17 * r;
        kinds[r] = -1;
        memset(first, 0, 17);
        memset(last, 0, 17);
        koff[r + 1] = (int32_t)used;
        if (!valid[k] || s < 0 || e > size || e <= s) continue;
        const u8 *text = data + s;
        i64 len = e - s, slash = -1;
        int colon = 0, ok = 1;
        for (i64 j = 0; j < len && ok; j++) {
            u8 c = text[j];
            if (c == 0 || c >= 0x80) ok = 0;
            else if (c == ':') {
                colon = 1;
                if (j + 2 < len && text[j + 1] == '/' && text[j + 2] == '/') ok = 0;
            } else if (c == '/' && slash < 0) slash = j;
        }
        i64 alen = slash < 0 ? len : slash;
        if (!ok || !colon || alen >= 64) continue;
        char address[64];
        memcpy(address, text, (size_t)alen);
        address[alen] = 0;
        u8 packed[16];
        if (inet_pton(AF_INET6, address, packed) != 1) continue;
        if (memcmp(packed, MAPPED, 12) == 0) continue; /* IPv4-mapped: classify folds it */
        int plen = 128;
        if (slash >= 0) {
            i64 digits = len - slash - 1;
            if (digits < 1) continue;
            int value = 0;
            for (i64 j = slash + 1; j < len && ok; j++) {
                if (text[j] < '0' || text[j] > '9') ok = 0;
                else if ((value = value * 10 + (text[j] - '0')) > 128) ok = 0;
            }
            if (!ok) continue;
            plen = value;
        }
        u8 top[16];
        memcpy(top, packed, 16);
        int aligned = 1;
        for (int bit = plen; bit < 128; bit++) {
            u8 mask = (u8)(0x80u >> (bit & 7));
            if (packed[bit >> 3] & mask) aligned = 0;
            top[bit >> 3] |= mask;
        }
        if (!aligned) continue; /* host bits set: classify explains it */
        char key[64];
        i64 klen;
        if (slash < 0) {
            if (inet_ntop(AF_INET6, packed, key, sizeof key) == NULL) continue;
            klen = (i64)strlen(key);
        } else {
            if (len > (i64)sizeof key) continue;
            for (i64 j = 0; j < len; j++) {
                u8 c = text[j];
                key[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            klen = len;
        }
        if (used + klen > cap) continue;
        memcpy(kdata + used, key, (size_t)klen);
        used += klen;
        koff[r + 1] = (int32_t)used;
        memcpy(first + 1, packed, 16);
        memcpy(last + 1, top, 16);
        kinds[r] = slash < 0 ? 3 : 1;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    Py_RETURN_NONE;
}

/* A string column with chosen rows replaced (the set's key column: the entry text, or the
 * key read for it). In: text (data, offsets, wide, valid), rows (int64, ascending, valid
 * rows only), values (data, int32 offsets), one per row. Out: int32 offsets (n + 1) and
 * data; a null row is written empty. Runs of rows kept as they are are copied at once. */
PyObject *scan_splice_strings(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    int wide;
    if (!PyArg_ParseTuple(args, "y*y*py*y*y*y*w*w*", &B[0], &B[1], &wide, &B[2], &B[3], &B[4],
                          &B[5], &B[6], &B[7]))
        return NULL;
    bs.n = 8;
    i64 n = B[2].len, m = B[3].len / 8, width = wide ? 8 : 4, cap = B[7].len;
    if (too_small(&B[1], n + 1, (size_t)width, "offsets") ||
        too_small(&B[5], m + 1, 4, "value offsets") || too_small(&B[6], n + 1, 4, "out offsets")) {
        release(&bs);
        return NULL;
    }
    const u8 *data = B[0].buf, *valid = B[2].buf, *vdata = B[4].buf;
    const int32_t *o32 = B[1].buf, *voff = B[5].buf;
    const i64 *o64 = B[1].buf, *rows = B[3].buf;
    int32_t *out_off = B[6].buf;
    u8 *out = B[7].buf;
    i64 size = B[0].len, vsize = B[4].len;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    i64 pos = 0, j = 0;
    out_off[0] = 0;
    for (i64 i = 0; i < n && !bad; i++) {
        i64 s, e;
        const u8 *src;
        if (j < m && rows[j] == i) {
            s = voff[j];
            e = voff[j + 1];
            src = vdata;
            j++;
            if (s < 0 || e < s || e > vsize) bad = 1;
        } else if (valid[i]) {
            s = wide ? o64[i] : o32[i];
            e = wide ? o64[i + 1] : o32[i + 1];
            src = data;
            if (s < 0 || e < s || e > size) bad = 1;
        } else {
            s = e = 0;
            src = data;
        }
        if (bad || pos + (e - s) > cap || pos + (e - s) >= (i64)(1ull << 31)) {
            bad = 1;
            break;
        }
        memcpy(out + pos, src + s, (size_t)(e - s));
        pos += e - s;
        out_off[i + 1] = (int32_t)pos;
    }
    if (j != m) bad = 1; /* rows not ascending, or past the end */
    Py_END_ALLOW_THREADS
    release(&bs);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "splice_strings: rows, offsets or sizes do not fit");
        return NULL;
    }
    Py_RETURN_NONE;
}
