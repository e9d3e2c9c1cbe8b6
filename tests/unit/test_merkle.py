"""The Merkle tree's prefix roots, read in one pass, equal the roots of the prefixes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.merkle import CompactRange, leaf_hash, prefix_roots, root


@given(st.lists(st.binary(max_size=8), max_size=80), st.data())
def test_prefix_roots_in_one_pass_equal_each_prefix_root(data, draw):
    leaves = [leaf_hash(x) for x in data]
    sizes = draw.draw(st.sets(st.integers(0, len(leaves))))
    found = prefix_roots(iter(leaves), sizes)
    assert set(found) == sizes
    assert all(found[n] == root(leaves[:n]) for n in sizes)


@given(st.lists(st.binary(max_size=8), max_size=80), st.data())
def test_ranges_hashed_apart_join_into_the_tree_of_the_whole(data, draw):
    """A log cut anywhere into stretches, each hashed from where it begins, joins into the same roots."""
    leaves = [leaf_hash(x) for x in data]
    cuts = sorted(draw.draw(st.sets(st.integers(0, len(leaves)))) | {0, len(leaves)})
    tree = CompactRange()
    for begin, end in zip(cuts, cuts[1:]):
        part = CompactRange(begin)
        if draw.draw(st.booleans()):  # the hot path hashes the entries as leaves itself
            part.add_data(data[begin:end])
        else:
            for leaf in leaves[begin:end]:
                part.add(leaf)
        assert part.size == end
        tree.extend(part)
        assert tree.size == end and tree.root() == root(leaves[:end])
        joined = tree.copy()
        assert joined.root() == root(leaves[:end])
    assert tree.root() == root(leaves)


def test_a_range_joins_only_the_one_it_follows():
    part = CompactRange(3)
    part.add(leaf_hash(b"x"))
    with pytest.raises(ValueError):
        CompactRange().extend(part)
    with pytest.raises(ValueError):
        part.root()
