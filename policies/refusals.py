"""Refusals: what the ledger will not record, said in one line."""

from __future__ import annotations

from events.errors import MinerehabError


class Refused(MinerehabError):
    """A command the ledger will not record: impossible, unauthorised or malformed.

    The message is one line naming the subject, its state, the trigger and what is allowed.
    """

    def __init__(self, message: str, line: int | None = None, zh: str | None = None):
        super().__init__(message, zh)
        self.message = message
        self.line = line

    def text(self, lang: str = "en") -> str:
        body = super().text(lang)
        if self.line is None:
            return body
        return f"第 {self.line} 行：{body}" if lang == "zh" else f"line {self.line}: {body}"

    def rendered(self, lang: str = "en") -> str:
        return ("拒绝：" if lang == "zh" else "refused: ") + self.text(lang)

    def __str__(self) -> str:
        return self.text("en")


def subject(kind: str, key: str, state: str | None) -> str:
    """`parcel TL-01 (state planned)`: how every refusal names what it is about."""
    return f"{kind} {key} (state {state})" if state else f"{kind} {key}"
