"""Refusals: what the ledger will not record, said in one line in English and in Chinese."""

from __future__ import annotations

import re

from events.errors import MinerehabError

LABELS: dict[str, dict[str, tuple[str, str]]] = {}
"""Tables of ids and their (zh, en) names by sort ("state", "role", "trigger", "kind"), filled in by
workflow.vocabulary (the one owner of labels, a layer above): a zh template names an id as «state:planned»."""
MARKED = re.compile(r"«(\w+):([^»]+)»")
SUBJECT = re.compile(r"\b(parcel|batch|programme|taskforce|person|witnessing) (\S+) \(state (\w+)\)")


def name(sort: str, key: str) -> str:
    """The Chinese name of an id (the id itself when the table does not know it)."""
    names = LABELS.get(sort, {}).get(key)
    return names[0] if names else key


def names(sort: str, keys) -> str:
    return "、".join(name(sort, k) for k in keys) or "无"


def chinese(text: str) -> str:
    """A zh template with its ids named: «sort:id» markers and subjects written as `subject()` writes them."""
    text = SUBJECT.sub(lambda m: f"{name('kind', m[1])} {m[2]}（{name('state', m[3])}）", text)
    return MARKED.sub(lambda m: name(m[1], m[2]), text)


class Refused(MinerehabError):
    """A command the ledger will not record: impossible, unauthorised or malformed.

    The message is one line naming the subject, its state, the trigger and what is allowed.
    """

    def __init__(self, message: str, line: int | None = None, zh: str | None = None):
        super().__init__(message, zh)
        self.message = message
        self.line = line

    def text(self, lang: str = "en") -> str:
        body = chinese(super().text(lang)) if lang == "zh" else super().text(lang)
        if self.line is None:
            return body
        return f"第 {self.line} 行：{body}" if lang == "zh" else f"line {self.line}: {body}"

    def rendered(self, lang: str = "en") -> str:
        return ("拒绝：" if lang == "zh" else "refused: ") + self.text(lang)

    def __str__(self) -> str:
        return self.text("en")


def subject(kind: str, key: str, state: str | None) -> str:
    """`parcel TL-01 (state planned)`: how every refusal names what it is about (zh templates too: it is
    written in Chinese when the refusal is)."""
    return f"{kind} {key} (state {state})" if state else f"{kind} {key}"
