/* Shared by the C sources of citysoc.engine._scan (the scanning kernels).
 *
 * Plain C99 over the Python buffer protocol: blocks of raw log bytes (bytes, a view of a
 * memory map) and NumPy arrays come in as buffers, results go into arrays the caller
 * allocated. No NumPy C API, so the module builds with a C compiler and the Python headers
 * alone. The scans release the GIL: the pipeline runs one per core on parts of a block.
 * The Python wrappers in citysoc/engine/kernel/ choose dtypes and sizes; each entry point
 * checks that the buffers it writes are large enough, so a wrong call raises instead of
 * writing past an array. Helpers are static inline here so that the scans inline them.
 */
#ifndef CITYSOC_SCAN_H
#define CITYSOC_SCAN_H
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

/* ---- eight bytes at a time -------------------------------------------------------- */

#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full

static inline u64 load8(const u8 *p) {
    u64 w;
    memcpy(&w, p, 8); /* any alignment; compiles to one load */
    return w;
}

/* High bit set in the lowest byte of x that is zero (exact), and maybe in bytes above it
 * (a 0x01 byte above a zero): enough to tell whether there is one and where the first is,
 * in four operations. */
static inline u64 first_zero(u64 x) {
    return (x - ONES) & ~x & ~LOW7;
}

/* High bit set in each byte of x that is zero, exactly (no false positives). */
static inline u64 zero_bytes(u64 x) {
    u64 y = (x & LOW7) + LOW7;
    return ~(y | x | LOW7);
}

/* ---- buffer helpers ----------------------------------------------------------------- */

/* Each entry point takes its buffers with "y*" (read) or "w*" (write) and releases them
 * all on the way out. */
#define MAXBUF 24
typedef struct {
    Py_buffer b[MAXBUF];
    int n;
} Bufs;

static inline void release(Bufs *bs) {
    for (int k = 0; k < bs->n; k++) PyBuffer_Release(&bs->b[k]);
    bs->n = 0;
}

static inline int too_small(const Py_buffer *b, i64 items, size_t width, const char *what) {
    if (items < 0 || (u64)b->len < (u64)items * width) {
        PyErr_Format(PyExc_ValueError, "%s: buffer too small", what);
        return 1;
    }
    return 0;
}

static inline int tables_from(Tables *t, Py_buffer *bitmap, Py_buffer *bounds, Py_buffer *covered,
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

/* The module's entry points (module.c lists them). */
PyObject *scan_prefilter_delimited(PyObject *self, PyObject *args);
PyObject *scan_prefilter_lines(PyObject *self, PyObject *args);
PyObject *scan_plain_rows(PyObject *self, PyObject *args);
PyObject *scan_parse_ipv4_strings(PyObject *self, PyObject *args);
PyObject *scan_v4_segments(PyObject *self, PyObject *args);
PyObject *scan_gather(PyObject *self, PyObject *args);
PyObject *scan_split_fields(PyObject *self, PyObject *args);
PyObject *scan_bloom_fill(PyObject *self, PyObject *args);
PyObject *scan_suffix_hashes(PyObject *self, PyObject *args);
PyObject *scan_domain_suffixes(PyObject *self, PyObject *args);
PyObject *scan_parse_v4_entries(PyObject *self, PyObject *args);
PyObject *scan_v4_bounds(PyObject *self, PyObject *args);
PyObject *scan_v4_lists(PyObject *self, PyObject *args);
PyObject *scan_text_flags(PyObject *self, PyObject *args);
PyObject *scan_v4_rows(PyObject *self, PyObject *args);
PyObject *scan_parse_v6_entries(PyObject *self, PyObject *args);
PyObject *scan_splice_strings(PyObject *self, PyObject *args);
PyObject *scan_plain_hits(PyObject *self, PyObject *args);
void scan_init_classes(void);

#endif
