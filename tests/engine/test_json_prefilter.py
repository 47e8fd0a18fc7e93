"""The JSON prefilter skips strings and lines eight bytes at a time: lines with long,
escaped or oddly placed strings must still give the same hits as the exact path."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citysoc.engine import kernel
from tests.engine.test_plain_rows import assert_same_hits

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

ADDRESSES = st.sampled_from(
    ["198.51.100.7", "203.0.113.9", "192.0.2.1", "10.0.0.2", "2001:db8::5", "x", ""]
)
NAMES = st.sampled_from(["www.c2.bad.example", "c2.bad.example.", "ok.example", "", "evil"])
TEXT = st.text(st.sampled_from('ab"\\:,{} 01.\u00fc'), max_size=40)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(TEXT, ADDRESSES, ADDRESSES, NAMES, st.sampled_from(["dns", "tls", "flow"])),
        min_size=1,
        max_size=30,
    ),
    pad=st.integers(0, 15),
)
def test_eve_lines_give_the_same_hits(tmp_path_factory, rows, pad):
    path = tmp_path_factory.mktemp("eve") / "eve.json"
    lines = []
    for note, src, dst, name, kind in rows:
        event = {"timestamp": "2024-05-01T10:00:00" + "0" * pad, "note": note}
        event |= {"event_type": kind, "src_ip": src, "dest_ip": dst}
        if kind == "dns":
            event["dns"] = {"rrname": name, "comment": note}
        elif kind == "tls":
            event["tls"] = {"sni": name}
        lines.append(json.dumps(event, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_same_hits("suricata_eve", path)
