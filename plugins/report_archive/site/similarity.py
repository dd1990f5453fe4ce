"""The sets most like a given one (Jaccard), for every set of a collection, without all pairs.

Comparing every group's tool set with every other's is n² set operations (two million at
2,000 groups). `Jaccard` instead keeps, for each element, the sets that hold it as one
integer bitset, and counts the shared elements of one set with all the others at once: the
bitsets of its elements are added with bit-sliced counters (slice ``b`` holds bit ``b`` of
every set's count), so each addition is a few operations on n-bit integers. The sets that
share ``k`` elements and have ``s`` elements score ``k / (m + s - k)``; the (k, s) pairs are
visited from the best score down until enough sets are found.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Jaccard", "Near", "nearest_brute_force"]


@dataclass(frozen=True)
class Near:
    """Another set and how alike it is to the one asked about.

    Attributes:
        index: Its place in the collection.
        shared: Elements both sets hold.
        score: Jaccard index: shared elements over the elements of either set.
    """

    index: int
    shared: int
    score: float


def _key(near: Near) -> tuple[float, int, int]:
    """Best first: higher score, then more shared elements, then earlier in the collection."""
    return (-near.score, -near.shared, near.index)


class Jaccard:
    """The sets of a collection, ready to be asked which are most like one of them.

    Args:
        sets: The collection; an empty set is like no other.
    """

    def __init__(self, sets: Sequence[frozenset[Hashable]]) -> None:
        self.sets = list(sets)
        self._columns: dict[Hashable, int] = {}
        self._by_size: dict[int, int] = {}
        for i, members in enumerate(self.sets):
            bit = 1 << i
            for element in members:
                self._columns[element] = self._columns.get(element, 0) | bit
            if members:
                self._by_size[len(members)] = self._by_size.get(len(members), 0) | bit
        self._all = (1 << len(self.sets)) - 1
        self._sizes = tuple(sorted(self._by_size))

    def nearest(self, index: int, limit: int = 5) -> list[Near]:
        """The sets most like the set at `index` (not itself), best first.

        Sets that share no element are never listed. Ties are broken by more shared
        elements, then by place in the collection, so the answer is the same every time.
        """
        members = self.sets[index]
        if not members or limit < 1:
            return []
        slices: list[int] = []  # bit b of each set's count of shared elements
        for element in members:
            carry = self._columns[element]
            for b, value in enumerate(slices):
                slices[b] = value ^ carry
                carry &= value
                if not carry:
                    break
            if carry:
                slices.append(carry)
        others = self._all & ~(1 << index)
        equal: dict[int, int] = {}
        found: list[Near] = []
        # The pairs come in the answer's order: a score and a count of shared elements fix
        # the other set's size, and within a pair the sets come by place (lowest bit first)
        for score, shared, size in _pairs(len(members), self._sizes):
            if shared not in equal:
                bits = others
                for b, value in enumerate(slices):
                    bits &= value if shared >> b & 1 else ~value
                equal[shared] = bits if shared >> len(slices) == 0 else 0
            bits = equal[shared] & self._by_size[size]
            while bits:
                low = bits & -bits
                found.append(Near(low.bit_length() - 1, shared, score))
                if len(found) == limit:
                    return found
                bits ^= low
        return found


@lru_cache(maxsize=256)
def _pairs(size: int, sizes: tuple[int, ...]) -> list[tuple[float, int, int]]:
    """(score, shared, other size) for a set of `size`, best score first."""
    pairs = [(k / (size + s - k), k, s) for s in sizes for k in range(1, min(size, s) + 1)]
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2]))
    return pairs


def nearest_brute_force(
    sets: Sequence[frozenset[Hashable]], index: int, limit: int = 5
) -> list[Near]:
    """`Jaccard.nearest` by comparing with every other set (for tests and benchmarks)."""
    members = sets[index]
    found = []
    for i, other in enumerate(sets):
        shared = len(members & other)
        if i != index and shared:
            found.append(Near(i, shared, shared / len(members | other)))
    found.sort(key=_key)
    return found[:limit]
