"""A recorded step of a simulation: what was asked, by whom, of which thing, with which fault, so that the
history replays exactly on a fresh database (and shrinks by leaving steps out).

Things are named by handles, never by database ids: a user by username, a lot by the index of the step that
listed it ("L17"), an order or an offer by its lot and its place among that lot's orders or offers. A
replayed step whose handle names nothing (its lot was never listed in this shorter history) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    index: int  # its place in the original history (kept through shrinking, so handles stay stable)
    kind: str
    args: dict[str, Any] = field(default_factory=dict)
    fault: str | None = None  # "abort", "duplicate", "restart", "due_twice" (None: none)
    fault_at: int = 0  # for "abort": the statement of the step's transaction at which it is aborted

    def describe(self) -> str:
        args = " ".join(f"{key}={value!r}" for key, value in self.args.items())
        fault = ""
        if self.fault == "abort":
            fault = f" [fault: abort at statement {self.fault_at}]"
        elif self.fault:
            fault = f" [fault: {self.fault}]"
        return f"#{self.index} {self.kind} {args}{fault}".rstrip()
