"""Which live parcels share ground (R25): every pair found once with an STRtree, looked up per parcel.

The pairs are computed when a rule first asks, from the parcels' registered boundaries; each
pair is measured once (on the Gauss-Krüger zone of the smaller code), so both parcels of a pair
see the same figures whatever order the parcels were read in.
"""

from __future__ import annotations

from policies.rules.spatial import LIVE_STATES


def footprint_of(summary) -> tuple | None:
    """(version, date, text) of a live parcel's registered boundary; None for one that has none or is not live."""
    f = summary.footprint
    if f is None or summary.state not in LIVE_STATES:
        return None
    return (f.v, f.on, f.text)


class Overlaps:
    """Pairs of overlapping footprints {code: (v, on, text)}, by parcel."""

    def __init__(self, footprints: dict):
        self.footprints = footprints
        self._by_code: dict | None = None

    def pairs(self) -> list[tuple]:
        # shapely and pyproj: only for stores with boundaries
        from geometry import compare, stored

        items = []
        for code, (_v, _on, text) in self.footprints.items():
            b = stored.read_or_none(text)
            if b is not None:
                items.append((code, b))
        return compare.overlaps(items, min_m2=0.0)

    def of(self, code: str) -> list[tuple]:
        """(other code, (other's version, date), overlap m², share of the smaller) for each parcel overlapping code."""
        if self._by_code is None:
            self._by_code = {}
            for a, b, overlap, share in self.pairs():
                fa, fb = self.footprints[a], self.footprints[b]
                self._by_code.setdefault(a, []).append((b, (fb[0], fb[1]), overlap, share))
                self._by_code.setdefault(b, []).append((a, (fa[0], fa[1]), overlap, share))
        return self._by_code.get(code, [])

    def codes_touching(self, codes: set) -> set:
        """The codes overlapping any of codes (by footprint), codes included."""
        found = set(codes)
        for code in codes:
            found.update(other for other, *_ in self.of(code))
        return found
