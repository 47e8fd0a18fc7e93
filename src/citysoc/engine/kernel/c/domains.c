/* Domain tables and lookups: Bloom filter, key hashes, label-level suffixes. */
#include "scan.h"

/* ---- domains ------------------------------------------------------------------------ */

/* Bloom filter of the domain keys (already lower case), hashed right to left. */
PyObject *scan_bloom_fill(PyObject *self, PyObject *args) {
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
PyObject *scan_suffix_hashes(PyObject *self, PyObject *args) {
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
PyObject *scan_domain_suffixes(PyObject *self, PyObject *args) {
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
