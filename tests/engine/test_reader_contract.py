"""Every log reader implements the whole reader contract (`readers.base.ReaderModule`).

The pipeline reads these names directly (no attribute probing, no reader special-cased by
name), so a reader missing one would fail only on the files that reach that branch.
"""

from __future__ import annotations

import inspect

import pytest

from citysoc.engine.readers import READERS
from citysoc.engine.readers.base import ReaderModule, ReaderState

MEMBERS = sorted(
    set(ReaderModule.__annotations__)
    | {n for n, v in vars(ReaderModule).items() if inspect.isfunction(v) and n[0] != "_"}
)
TYPES = {"NAME": str, "LABEL": str, "FIELD_SEP": str, "ADDRESS_KEYS": tuple}


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_reader_has_every_member_of_the_contract(name: str) -> None:
    reader = READERS[name]
    missing = [m for m in MEMBERS if not hasattr(reader, m)]
    assert missing == []
    for member in MEMBERS:
        value = getattr(reader, member)
        if member in TYPES:
            assert isinstance(value, TYPES[member]), member
        elif member.isupper():
            assert isinstance(value, bool), member
        else:
            assert callable(value), member
    assert name == reader.NAME
    assert len(reader.FIELD_SEP) <= 1


def test_plain_rows_only_for_delimited_readers() -> None:
    plain = {n for n, r in READERS.items() if r.PLAIN_ROWS}
    assert plain and all(READERS[n].FIELD_SEP for n in plain)


def test_reader_state_is_a_dataclass_with_named_fields() -> None:
    state = ReaderState(options={})
    assert (state.n_fields, state.positions, state.address_fields, state.domain_field) == (
        None,
        None,
        [],
        -1,
    )
