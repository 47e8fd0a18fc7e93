"""The compiled domain lookup (every label level in one pass) answers exactly as the
level-by-level Arrow path it replaces, in the same order, on generated names."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citysoc.engine import IndicatorSet, kernel
from citysoc.engine import match as match_module

pytestmark = pytest.mark.skipif(not kernel.available(), reason="the compiled kernels are not built")

LABELS = st.sampled_from(["a", "b", "evil", "bad", "c2", "x-y", "xn--bcher-kva", "example", "vn"])
NAMES = st.lists(LABELS, min_size=1, max_size=6).map(".".join)


def both_paths(iset: IndicatorSet, names: list[str | None], monkeypatch) -> tuple:
    values = pa.array(names, pa.string())
    rows, ids = match_module.lookup_domains(iset, values)
    with monkeypatch.context() as m:
        m.setattr(kernel, "available", lambda: False)
        old_rows, old_ids = match_module.lookup_domains(iset, values)
    return (rows.tolist(), ids.tolist()), (old_rows.tolist(), old_ids.tolist())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    listed=st.lists(NAMES.filter(lambda n: "." in n), min_size=1, max_size=12),
    names=st.lists(
        st.one_of(NAMES, st.none(), st.just(""), st.just("A.Evil.Example.")), max_size=40
    ),
)
def test_same_hits_in_the_same_order_as_the_level_by_level_path(listed, names, monkeypatch):
    iset = IndicatorSet.from_arrow(pa.table({"indicator": listed + listed[:2]}))  # duplicates
    new, old = both_paths(iset, names, monkeypatch)
    assert new == old


def test_a_suffix_matches_only_at_a_label_boundary(monkeypatch):
    iset = IndicatorSet.from_arrow(pa.table({"indicator": ["evil.example", "bücher.example"]}))
    names = ["evil.example", "www.evil.example", "notevil.example", "BÜCHER.example.", None]
    new, old = both_paths(iset, names, monkeypatch)
    assert new == old
    assert new == ([0, 1, 3], [0, 0, 1])
