"""The one exception bad geometry input may raise, worded for both the English and the Chinese user."""

from __future__ import annotations


class GeometryError(ValueError):
    """Bad input, explained on one line in English (`en`) and in Chinese (`zh`).

    `field` names the attribute or part at fault when there is one (layers report per field).
    """

    def __init__(self, en: str, zh: str, field: str | None = None):
        super().__init__(f"{en} / {zh}")
        self.en = en
        self.zh = zh
        self.field = field

    def __eq__(self, other):
        return (isinstance(other, GeometryError)
                and (self.en, self.zh, self.field) == (other.en, other.zh, other.field))

    def __hash__(self):
        return hash((self.en, self.zh, self.field))

    def __repr__(self):
        return f"GeometryError({self.en!r}, {self.zh!r}, field={self.field!r})"
