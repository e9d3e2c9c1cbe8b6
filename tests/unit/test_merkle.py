"""The Merkle tree's prefix roots, read in one pass, equal the roots of the prefixes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from events.merkle import leaf_hash, prefix_roots, root


@given(st.lists(st.binary(max_size=8), max_size=80), st.data())
def test_prefix_roots_in_one_pass_equal_each_prefix_root(data, draw):
    leaves = [leaf_hash(x) for x in data]
    sizes = draw.draw(st.sets(st.integers(0, len(leaves))))
    found = prefix_roots(iter(leaves), sizes)
    assert set(found) == sizes
    assert all(found[n] == root(leaves[:n]) for n in sizes)
