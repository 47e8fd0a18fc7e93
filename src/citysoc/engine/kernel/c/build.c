/* Building an indicator set's IPv4 segments (entries.c reads the list column).
 *
 * v4_rows gathers the IPv4 rows of a parsed column; v4_bounds and v4_lists compute what
 * segments.build_segments computes for IPv4 (the elementary segments, the CSR list of
 * covering indicators per segment, indicators listed by start, equal starts in input
 * order), plus the prefilter's tables (the /24 bitmap, covered segments, the /16 index) in
 * the same pass:
 *  - the starts are packed with a "single address" bit and their position into 64-bit keys
 *    and sorted by start with a stable LSD radix sort (11-bit digits, three passes);
 *  - the ends + 1 of single addresses are the starts + 1 in the same order; the ends of the
 *    other ranges (CIDRs, a-b ranges: few) are sorted apart; one merge of these sorted runs
 *    gives the unique bounds and each interval's first and last segment;
 *  - one sweep over the segments keeps the intervals covering the current one in start
 *    order (an interval enters when the sweep reaches its first segment, in start order,
 *    so the list stays in order) and writes each segment's list.
 * The GIL is released during the work. */
#include "scan.h"

#include <stdlib.h>

#define DIGIT_BITS 11

/* Stable LSD radix sort of a[0..n) by bits [lo_bit, hi_bit) of each key; tmp has n slots.
 * A digit that is the same in every key is skipped. */
static void radix_sort(u64 *a, u64 *tmp, i64 n, int lo_bit, int hi_bit) {
    enum { RADIX = 1 << DIGIT_BITS };
    u64 *src = a, *dst = tmp;
    i64 count[RADIX];
    for (int shift = lo_bit; shift < hi_bit; shift += DIGIT_BITS) {
        int bits = hi_bit - shift < DIGIT_BITS ? hi_bit - shift : DIGIT_BITS;
        u64 mask = (1ull << bits) - 1;
        memset(count, 0, sizeof(i64) * (size_t)RADIX);
        for (i64 k = 0; k < n; k++) count[(src[k] >> shift) & mask]++;
        int skip = 0;
        for (int d = 0; d < RADIX; d++)
            if (count[d] == n) skip = 1;
        if (skip) continue;
        i64 total = 0;
        for (int d = 0; d < RADIX; d++) {
            i64 c = count[d];
            count[d] = total;
            total += c;
        }
        for (i64 k = 0; k < n; k++) dst[count[(src[k] >> shift) & mask]++] = src[k];
        u64 *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, sizeof(u64) * (size_t)n);
}

/* The IPv4 rows of a parsed column (version 4), their first and last addresses, in row
 * order: one pass instead of a mask, its indexes and two gathers. Returns the count.
 * starts and ends may be lo and hi themselves (row m is written after row k >= m is read). */
PyObject *scan_v4_rows(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*y*w*w*w*", &B[0], &B[1], &B[2], &B[3], &B[4], &B[5]))
        return NULL;
    bs.n = 6;
    i64 n = B[0].len;
    if (n >= (i64)(1ull << 31) || too_small(&B[1], n, 8, "lo") || too_small(&B[2], n, 8, "hi") ||
        too_small(&B[3], n, 4, "rows") || too_small(&B[4], n, 8, "starts") ||
        too_small(&B[5], n, 8, "ends")) {
        release(&bs);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "v4_rows: too many rows");
        return NULL;
    }
    const int8_t *version = B[0].buf;
    const u64 *lo = B[1].buf, *hi = B[2].buf;
    int32_t *rows = B[3].buf;
    u64 *starts = B[4].buf, *ends = B[5].buf;
    i64 m = 0;
    Py_BEGIN_ALLOW_THREADS
    for (i64 k = 0; k < n; k++) {
        if (version[k] != 4) continue;
        rows[m] = (int32_t)k;
        starts[m] = lo[k];
        ends[m] = hi[k];
        m++;
    }
    Py_END_ALLOW_THREADS
    release(&bs);
    return PyLong_FromLongLong(m);
}

#define SINGLE_BIT (1ull << 31)
#define POSITION ((1ull << 31) - 1)

/* Sorted bounds and each interval's segments. In: starts, ends (inclusive, uint64, IPv4).
 * Out (by start, equal starts in input order): order (input position, int32), first and
 * end segment a, b (int32: the interval covers segments a .. b - 1), and the bounds
 * (uint64, room for 2n + 1). Returns (segments, (segment, interval) pairs), or raises. */
PyObject *scan_v4_bounds(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*w*w*w*w*", &B[0], &B[1], &B[2], &B[3], &B[4], &B[5]))
        return NULL;
    bs.n = 6;
    i64 n = B[0].len / 8;
    if (n >= (i64)(1ull << 30)) {
        release(&bs);
        PyErr_SetString(PyExc_ValueError, "v4_bounds: too many intervals");
        return NULL;
    }
    if (too_small(&B[1], n, 8, "ends") || too_small(&B[2], n, 4, "order") ||
        too_small(&B[3], n, 4, "a") || too_small(&B[4], n, 4, "b") ||
        too_small(&B[5], 2 * n + 1, 8, "bounds")) {
        release(&bs);
        return NULL;
    }
    const u64 *starts = B[0].buf, *ends = B[1].buf;
    int32_t *order = B[2].buf, *a = B[3].buf, *b = B[4].buf;
    u64 *bounds = B[5].buf;
    for (i64 k = 0; k < n; k++) {
        if (starts[k] > 0xFFFFFFFFull || ends[k] > 0xFFFFFFFFull || ends[k] < starts[k]) {
            release(&bs);
            PyErr_SetString(PyExc_ValueError, "v4_bounds: not an IPv4 interval");
            return NULL;
        }
    }
    u64 *keys = malloc(sizeof(u64) * (size_t)(n + 1));
    u64 *tmp = malloc(sizeof(u64) * (size_t)(n + 1));
    if (keys == NULL || tmp == NULL) {
        free(keys);
        free(tmp);
        release(&bs);
        return PyErr_NoMemory();
    }
    i64 nseg = 0, pairs = 0;
    Py_BEGIN_ALLOW_THREADS
    /* starts, by start then input position (the sort is stable) */
    for (i64 k = 0; k < n; k++) {
        u64 single = ends[k] == starts[k] ? SINGLE_BIT : 0;
        keys[k] = (starts[k] << 32) | single | (u64)k;
    }
    radix_sort(keys, tmp, n, 32, 64);
    /* ends + 1 of the wider intervals, by value: (end + 1) << 31 | rank by start */
    u64 *wends = tmp;
    i64 m = 0;
    for (i64 k = 0; k < n; k++) {
        order[k] = (int32_t)(keys[k] & POSITION);
        if (!(keys[k] & SINGLE_BIT)) wends[m++] = ((ends[order[k]] + 1) << 31) | (u64)k;
    }
    u64 *wtmp = malloc(sizeof(u64) * (size_t)(m + 1));
    if (wtmp != NULL) {
        radix_sort(wends, wtmp, m, 31, 64);
        free(wtmp);
        /* merge {0}, the starts, the singles' ends (start + 1, same order), the wide ends */
        bounds[0] = 0;
        nseg = 1;
        i64 i = 0, j = 0, w = 0;
        while (j < n && !(keys[j] & SINGLE_BIT)) j++;
        for (;;) {
            u64 vs = i < n ? keys[i] >> 32 : ~0ull;
            u64 v1 = j < n ? (keys[j] >> 32) + 1 : ~0ull;
            u64 vw = w < m ? wends[w] >> 31 : ~0ull;
            u64 v = vs < v1 ? vs : v1;
            if (vw < v) v = vw;
            if (v == ~0ull) break;
            if (v != bounds[nseg - 1]) bounds[nseg++] = v;
            int32_t rank = (int32_t)(nseg - 1);
            if (vs == v) {
                a[i] = rank;
                if (keys[i] & SINGLE_BIT) b[i] = rank + 1;
                i++;
            } else if (v1 == v) {
                for (j++; j < n && !(keys[j] & SINGLE_BIT); j++) {
                }
            } else {
                b[wends[w] & POSITION] = rank;
                w++;
            }
        }
        for (i64 k = 0; k < n; k++) pairs += b[k] - a[k];
    } /* else nseg stays 0: out of memory */
    Py_END_ALLOW_THREADS
    free(keys);
    free(tmp);
    release(&bs);
    if (nseg == 0) return PyErr_NoMemory();
    return Py_BuildValue("(LL)", nseg, pairs);
}

/* Set bits lo..hi (inclusive) of a little-endian bitmap. */
static void set_bits(u8 *bitmap, u64 lo, u64 hi) {
    while (lo <= hi && (lo & 7)) {
        bitmap[lo >> 3] |= (u8)(1u << (lo & 7));
        lo++;
    }
    if (lo + 8 <= hi + 1) {
        u64 bytes = (hi + 1 - lo) >> 3;
        memset(bitmap + (lo >> 3), 0xFF, (size_t)bytes);
        lo += bytes << 3;
    }
    for (; lo <= hi; lo++) bitmap[lo >> 3] |= (u8)(1u << (lo & 7));
}

/* The segment lists and the prefilter's tables from v4_bounds' output. In: order, a, b,
 * owners (int32 indicator id per input interval), bounds (nseg). Out: offsets (int64,
 * nseg + 1), ids (int32, pairs), covered (uint8, nseg), by16 (int64, 65537), bitmap (2 MiB,
 * zeroed by the caller). */
PyObject *scan_v4_lists(PyObject *self, PyObject *args) {
    Bufs bs = {.n = 0};
    Py_buffer *B = bs.b;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*w*w*w*w*w*", &B[0], &B[1], &B[2], &B[3], &B[4],
                          &B[5], &B[6], &B[7], &B[8], &B[9]))
        return NULL;
    bs.n = 10;
    i64 n = B[0].len / 4, nseg = B[4].len / 8, cap = B[6].len / 4;
    if (too_small(&B[1], n, 4, "a") || too_small(&B[2], n, 4, "b") ||
        too_small(&B[3], n, 4, "owners") || too_small(&B[5], nseg + 1, 8, "offsets") ||
        too_small(&B[7], nseg, 1, "covered") || too_small(&B[8], 65537, 8, "by16") ||
        too_small(&B[9], 1 << 21, 1, "bitmap") || nseg < 1) {
        release(&bs);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "v4_lists: no bounds");
        return NULL;
    }
    const int32_t *order = B[0].buf, *a = B[1].buf, *b = B[2].buf, *owners = B[3].buf;
    const u64 *bounds = B[4].buf;
    i64 *offsets = B[5].buf, *by16 = B[8].buf;
    int32_t *ids = B[6].buf;
    u8 *covered = B[7].buf, *bitmap = B[9].buf;
    int32_t *active = malloc(sizeof(int32_t) * (size_t)(n + 1));
    if (active == NULL) {
        release(&bs);
        return PyErr_NoMemory();
    }
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    i64 na = 0, p = 0, pos = 0;
    offsets[0] = 0;
    for (i64 j = 0; j < nseg && !bad; j++) {
        i64 kept = 0;
        for (i64 t = 0; t < na; t++)
            if (b[active[t]] > j) active[kept++] = active[t];
        na = kept;
        for (; p < n && a[p] == j; p++) active[na++] = (int32_t)p;
        if (pos + na > cap) {
            bad = 1;
            break;
        }
        for (i64 t = 0; t < na; t++) ids[pos++] = owners[order[active[t]]];
        offsets[j + 1] = pos;
        covered[j] = na > 0;
        if (na > 0 && j + 1 < nseg) set_bits(bitmap, bounds[j] >> 8, (bounds[j + 1] - 1) >> 8);
    }
    i64 j = 0;
    for (i64 h = 0; h <= 65536; h++) {
        while (j < nseg && bounds[j] < ((u64)h << 16)) j++;
        by16[h] = j;
    }
    Py_END_ALLOW_THREADS
    free(active);
    release(&bs);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "v4_lists: ids too small");
        return NULL;
    }
    Py_RETURN_NONE;
}
