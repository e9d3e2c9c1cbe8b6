"""What `verify` and the readers that check the chain find: each problem with a stable kind, said in English
and in Chinese."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = {
    "edited": "被改动", "deleted": "被删除", "inserted": "被插入", "reordered": "被调换", "moved": "被移位",
    "log": "日志链断裂", "checkpoints": "检查点链断裂", "forgotten": "被遗忘", "origin": "来源不符",
    "truncated": "被截断", "rewritten": "被改写", "checkpoint": "检查点有误", "time": "时间不明",
    "backdated": "倒签", "postdated": "后签", "signature": "签名不符", "witness": "联署不足", "document": "文件不符",
    "witnessed": "与见证不符",
}
"""Every kind of problem (the id scripts read in `verify --json`) and its Chinese name."""


@dataclass
class Problem:
    """One thing that differs, said in English (`detail`) and Chinese (`detail_zh`); `kind` is a stable id."""

    kind: str  # a key of KINDS
    subject: str
    version: int | None
    detail: str
    detail_zh: str

    def text(self, lang: str = "en") -> str:
        """The line `verify` prints, in the user's language."""
        if lang != "zh":
            return str(self)
        subject = name_zh(self.subject)
        where = f"{subject}@{self.version}" if self.version is not None else subject
        return f"{KINDS.get(self.kind, self.kind)}：{where}：{self.detail_zh}"

    def __str__(self) -> str:
        where = f"{self.subject}@{self.version}" if self.version is not None else self.subject
        return f"{self.kind}: {where}: {self.detail}"


def checkpoint_name(checkpoint: dict) -> str:
    return f"checkpoint {checkpoint['tree_size']}@{checkpoint['timestamp']}"


def name_zh(subject: str) -> str:
    """A subject as `checkpoint_name` (or a witness) names it, in Chinese; an aggregate's name (parcel:TL-1) is
    an id."""
    for en, zh in (("checkpoint ", "检查点 "), ("witness ", "见证方 ")):
        if subject.startswith(en):
            return zh + subject[len(en):]
    return subject
