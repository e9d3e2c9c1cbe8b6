"""The one root of every error a user can meet: a message in Chinese and English, and an exit code.

The command line renders any `MinerehabError` as one line in the user's language and exits
with its code; anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

EXIT_FINDINGS = 1
EXIT_REFUSED = 2


class MinerehabError(Exception):
    """Bad input, a refused command, an unusable file or store: exit 2 unless a subclass says otherwise."""

    exit_code = EXIT_REFUSED

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def rendered(self, lang: str = "en") -> str:
        """The whole line the user reads after `minerehab: `."""
        return self.text(lang)

    def __str__(self) -> str:
        return self.en


class BadInput(MinerehabError):
    """A value the user typed or a file held that is not what the option or field allows."""


class Tampered(MinerehabError):
    """The stored history does not match its hash chains, signatures or checkpoints."""

    exit_code = EXIT_FINDINGS


class Said(str):
    """A line in English (the string itself) with its Chinese (`zh`) beside it: a finding listed among
    others, printed in the user's language, kept in English where a script reads it."""

    zh: str

    def __new__(cls, en: str, zh: str) -> "Said":
        made = super().__new__(cls, en)
        made.zh = zh
        return made


def zh_of(said) -> str:
    """The Chinese of a bilingual line or error (its `zh`); a plain string is its own."""
    return getattr(said, "zh", None) or str(said)


def in_lang(said, lang: str) -> str:
    return zh_of(said) if lang == "zh" else str(said)


class Malformed(ValueError):
    """Bytes that are not what their format allows (a note, a proof, an exported event), in both languages."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.zh = zh or en
