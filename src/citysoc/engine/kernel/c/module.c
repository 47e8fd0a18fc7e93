/* citysoc.engine._scan: the module and its method table. */
#include "scan.h"

static PyMethodDef METHODS[] = {
    {"prefilter_delimited", scan_prefilter_delimited, METH_VARARGS, "Prefilter delimited lines."},
    {"prefilter_lines", scan_prefilter_lines, METH_VARARGS, "Prefilter JSON or free-text lines."},
    {"plain_rows", scan_plain_rows, METH_VARARGS, "Plain hit rows of delimited lines."},
    {"parse_ipv4_strings", scan_parse_ipv4_strings, METH_VARARGS, "Dotted quads of a column."},
    {"v4_segments", scan_v4_segments, METH_VARARGS, "Elementary segment of IPv4 values."},
    {"gather", scan_gather, METH_VARARGS, "Copy chosen ranges into one buffer."},
    {"split_fields", scan_split_fields, METH_VARARGS, "Split unquoted lines at a separator."},
    {"bloom_fill", scan_bloom_fill, METH_VARARGS, "Fill the domain Bloom filter."},
    {"suffix_hashes", scan_suffix_hashes, METH_VARARGS, "FNV-1a hashes of strings."},
    {"domain_suffixes", scan_domain_suffixes, METH_VARARGS, "Listed label-level suffixes."},
    {"parse_v4_entries", scan_parse_v4_entries, METH_VARARGS, "IPv4 entries of a list."},
    {"v4_bounds", scan_v4_bounds, METH_VARARGS, "Sorted IPv4 segment bounds."},
    {"v4_lists", scan_v4_lists, METH_VARARGS, "IPv4 segment lists and tables."},
    {"text_flags", scan_text_flags, METH_VARARGS, "Whether a list column needs refanging."},
    {"v4_rows", scan_v4_rows, METH_VARARGS, "The IPv4 rows of a parsed column."},
    {"parse_v6_entries", scan_parse_v6_entries, METH_VARARGS, "IPv6 entries of a list."},
    {"splice_strings", scan_splice_strings, METH_VARARGS, "A string column, rows replaced."},
    {"plain_hits", scan_plain_hits, METH_VARARGS, "Plain hit rows and their segments."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef MODULE = {PyModuleDef_HEAD_INIT, "_scan",
                                    "Compiled scanning kernels of the matching engine.", -1,
                                    METHODS};

PyMODINIT_FUNC PyInit__scan(void) {
    scan_init_classes();
    return PyModule_Create(&MODULE);
}
