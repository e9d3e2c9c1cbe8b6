"""Refusals: what the ledger will not record, said in one line."""


class Refused(Exception):
    """A command the ledger will not record: impossible, unauthorised or malformed.

    The message is one line naming the subject, its state, the trigger and what is allowed.
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


def subject(kind: str, key: str, state: str | None) -> str:
    """`parcel TL-01 (state planned)`: how every refusal names what it is about."""
    return f"{kind} {key} (state {state})" if state else f"{kind} {key}"
