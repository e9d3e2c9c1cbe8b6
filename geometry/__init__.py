"""Parcel (图斑) boundaries: parse, measure, compare and exchange them.

A bottom layer of pure functions: it imports nothing from the rest of the project, so the
ledger can depend on it without the geometry ever depending on the ledger. `Boundary` and
`parse` are imported on first use: shapely, pyproj and numpy cost ≈ 60 MB and 0.35 s that a
store without boundaries never needs.
"""

from geometry.errors import GeometryError

__all__ = ["Boundary", "GeometryError", "parse"]


def __getattr__(name: str):
    if name in ("Boundary", "parse"):
        from geometry import shapes

        return getattr(shapes, name)
    raise AttributeError(f"module 'geometry' has no attribute {name!r}")
