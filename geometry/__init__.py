"""Parcel (图斑) boundaries: parse, measure, compare and exchange them.

A bottom layer of pure functions: it imports nothing from the rest of the project, so the
ledger can depend on it without the geometry ever depending on the ledger.
"""

from geometry.errors import GeometryError
from geometry.shapes import Boundary, parse

__all__ = ["Boundary", "GeometryError", "parse"]
