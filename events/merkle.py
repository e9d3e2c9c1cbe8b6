"""RFC 6962 Merkle trees: the root over the log, inclusion (audit) paths and consistency proofs.

Leaves are the events' chain hashes in log order, so the tree only ever grows: a later
checkpoint is provably an extension of an earlier one. Verification follows RFC 9162 §2.1.
"""

from __future__ import annotations

from hashlib import sha256


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def root(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) over already-hashed leaves, computed bottom-up in O(n)."""
    if not leaves:
        return sha256(b"").digest()
    level = list(leaves)
    # RFC 6962's left-balanced tree equals pairing left to right and carrying an odd last node up.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class CompactRange:
    """The perfect subtrees over the leaves [begin, size) (one hash per level and side): the root of any prefix
    read in one pass, holding log n hashes, not n. Ranges that meet join (`extend`), so stretches of the log
    hashed apart, each knowing where it begins, make the tree of the whole. From 0, the left-balanced tree's
    root folds them from the right."""

    def __init__(self, begin: int = 0):
        self.begin = self.size = begin
        self.stack = []  # (height, hash) left to right

    def add(self, leaf: bytes) -> None:
        self.append(0, leaf)

    def add_data(self, entries: list[bytes]) -> None:
        """The leaves of `entries` (each hashed as a leaf here), in one tight loop: the log-order pass's hot path."""
        stack, size = self.stack, self.size
        for entry in entries:
            node, height, index = sha256(b"\x00" + entry).digest(), 0, size
            size += 1
            while index & 1 and stack and stack[-1][0] == height:
                node, height, index = sha256(b"\x01" + stack.pop()[1] + node).digest(), height + 1, index >> 1
            stack.append((height, node))
        self.size = size

    def append(self, height: int, node: bytes) -> None:
        """A perfect subtree of `height` starting at `size` (which it must be aligned to): a node joins its left
        sibling for as long as it is a right child whose sibling lies wholly in the range."""
        index, stack = self.size >> height, self.stack
        self.size += 1 << height
        while index & 1 and stack and stack[-1][0] == height:
            node, height, index = node_hash(stack.pop()[1], node), height + 1, index >> 1
        stack.append((height, node))

    def extend(self, other: "CompactRange") -> None:
        """Join the range that begins where this one ends."""
        if other.begin != self.size:
            raise ValueError(f"a range from {other.begin} does not join one ending at {self.size}")
        for height, node in other.stack:
            self.append(height, node)

    def copy(self) -> "CompactRange":
        twin = CompactRange(self.begin)
        twin.size, twin.stack = self.size, list(self.stack)
        return twin

    def root(self) -> bytes:
        if self.begin != 0:
            raise ValueError("only a range from the first leaf has a root")
        if not self.stack:
            return sha256(b"").digest()
        folded = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            folded = node_hash(left, folded)
        return folded


def prefix_roots(leaves, sizes) -> dict[int, bytes]:
    """MTH of the first n leaves for each n in `sizes`, in one pass over an iterable of leaves."""
    wanted, found, tree = set(sizes), {}, CompactRange()
    if 0 in wanted:
        found[0] = tree.root()
    for leaf in leaves:
        tree.add(leaf)
        if tree.size in wanted:
            found[tree.size] = tree.root()
    return found


def streamed_root(leaves) -> tuple[int, bytes]:
    """(size, MTH) over already-hashed leaves from an iterator."""
    tree = CompactRange()
    for leaf in leaves:
        tree.add(leaf)
    return tree.size, tree.root()


def _subtree(leaves: list[bytes], lo: int, hi: int) -> bytes:
    return root(leaves[lo:hi])


def inclusion_path(leaves: list[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n <= 1:
            return []
        k = _split(n)
        if m < k:
            return path(m, lo, lo + k) + [_subtree(leaves, lo + k, hi)]
        return path(m - k, lo + k, hi) + [_subtree(leaves, lo, lo + k)]

    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is outside a tree of {len(leaves)}")
    return path(index, 0, len(leaves))


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def consistency_proof(leaves: list[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2."""

    def subproof(m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if complete else [_subtree(leaves, lo, hi)]
        k = _split(n)
        if m <= k:
            return subproof(m, lo, lo + k, complete) + [_subtree(leaves, lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [_subtree(leaves, lo, lo + k)]

    if not 0 < old_size <= len(leaves):
        raise ValueError(f"old size {old_size} is not within 1..{len(leaves)}")
    return subproof(old_size, 0, len(leaves), True)


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if old_size > new_size or old_size == 0:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        proof = [old_root] + list(proof)
    if not proof:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
