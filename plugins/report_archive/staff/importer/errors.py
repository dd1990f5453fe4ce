"""The failure of one group's import: a sentence for the summary, never a traceback."""

from __future__ import annotations

__all__ = ["GroupFailure"]


class GroupFailure(Exception):
    """An expected failure of one group; the message goes to the summary."""
