# Types of the compiled kernels (sources in kernel/c/). Buffers are anything with the buffer
# protocol (bytes, memoryview, NumPy arrays of the dtype each wrapper in kernel/ passes).
def prefilter_delimited(  # noqa: PLR0913
    buf: object,
    start: int,
    stop: int,
    bitmap: object,
    bounds: object,
    covered: object,
    by16: object,
    bloom: object,
    check_domains: bool,
    first_is_header: bool,
    sep: int,
    n_sep: int,
    f1: int,
    f2: int,
    fd: int,
    out_start: object,
    out_end: object,
    out_line: object,
    /,
) -> tuple[int, int, int, int]: ...
def prefilter_lines(  # noqa: PLR0913
    buf: object,
    start: int,
    stop: int,
    bitmap: object,
    bounds: object,
    covered: object,
    by16: object,
    bloom: object,
    check_domains: bool,
    has_v6: bool,
    first_is_header: bool,
    want_json: bool,
    kdata: object,
    koff: object,
    kroles: object,
    akdata: object,
    akoff: object,
    out_start: object,
    out_end: object,
    out_line: object,
    /,
) -> tuple[int, int, int, int]: ...
def plain_rows(  # noqa: PLR0913
    buf: object,
    starts: object,
    ends: object,
    sep: int,
    n_fields: int,
    wanted: object,
    addr_roles: object,
    dash: bool,
    fs: object,
    fe: object,
    plain: object,
    /,
) -> None: ...
def parse_ipv4_strings(
    data: object, offsets: object, wide: bool, valid: object, ok: object, out: object, /
) -> None: ...
def v4_segments(values: object, bounds: object, by16: object, out: object, /) -> None: ...
def gather(data: object, starts: object, offsets: object, out: object, /) -> None: ...
def split_fields(  # noqa: PLR0913
    data: object,
    offsets: object,
    sep: int,
    n_fields: int,
    wanted: object,
    starts: object,
    ends: object,
    good: object,
    /,
) -> None: ...
def bloom_fill(data: object, offsets: object, bloom: object, /) -> None: ...
def suffix_hashes(data: object, offsets: object, out: object, /) -> None: ...
def domain_suffixes(  # noqa: PLR0913
    data: object,
    offsets: object,
    valid: object,
    hashes: object,
    order: object,
    kdata: object,
    koff: object,
    rows: object,
    keys: object,
    levels: object,
    /,
) -> int: ...
def parse_v4_entries(  # noqa: PLR0913
    data: object,
    offsets: object,
    wide: bool,
    valid: object,
    kinds: object,
    version: object,
    lo: object,
    hi: object,
    /,
) -> int: ...
def v4_bounds(
    starts: object, ends: object, order: object, a: object, b: object, bounds: object, /
) -> tuple[int, int]: ...
def v4_lists(  # noqa: PLR0913
    order: object,
    a: object,
    b: object,
    owners: object,
    bounds: object,
    offsets: object,
    ids: object,
    covered: object,
    by16: object,
    bitmap: object,
    /,
) -> None: ...
def text_flags(
    data: object, offsets: object, wide: bool, valid: object, /
) -> tuple[bool, bool]: ...
def v4_rows(
    version: object, lo: object, hi: object, rows: object, starts: object, ends: object, /
) -> int: ...
def parse_v6_entries(  # noqa: PLR0913
    data: object,
    offsets: object,
    wide: bool,
    valid: object,
    rows: object,
    kinds: object,
    starts: object,
    ends: object,
    key_data: object,
    key_offsets: object,
    /,
) -> None: ...
def splice_strings(  # noqa: PLR0913
    data: object,
    offsets: object,
    wide: bool,
    valid: object,
    rows: object,
    vdata: object,
    voffsets: object,
    out_offsets: object,
    out_data: object,
    /,
) -> None: ...
def plain_hits(  # noqa: PLR0913
    buf: object,
    starts: object,
    ends: object,
    sep: int,
    n_fields: int,
    wanted: object,
    addr_roles: object,
    dash: bool,
    fs: object,
    fe: object,
    plain: object,
    bitmap: object,
    bounds: object,
    covered: object,
    by16: object,
    segs: object,
    /,
) -> None: ...
