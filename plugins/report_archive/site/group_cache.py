"""Each group's title and rendered answers kept on disk between builds.

Two things a build does for every group take the most time after reading its report:
deriving its project's title (`report_archive.reports.identity.group_identity`) and
rendering its answers (`report_archive.site.answers.render_group`). Both are kept in a
`report_archive.reports.store.Store`, keyed by a SHA-256 over this package and its
libraries (`report_archive.site.digests.code`) and over exactly what they are made from:

- a title: what the report was read from (`report_archive.reports.archive.GroupEntry.digest`)
  and the group's ``group.yml``;
- the answers: the whole rendering job (every text with its references, where each figure
  is published, the group's redactor), pickled.

A group whose report was not read through the reading cache has its title derived again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeGuard

from report_archive.reports.archive import GroupEntry
from report_archive.reports.identity import Identity, group_identity
from report_archive.reports.store import Store
from report_archive.site import digests
from report_archive.site.answers import ROOT, GroupJob, Rendered

__all__ = ["GroupCache"]

StartAll = Callable[[list[GroupJob]], Callable[[], list[list[Rendered]]]]
"""Starts rendering jobs (in worker processes when many); what it returns waits for them."""


class GroupCache:
    """Titles and rendered answers kept in a folder.

    Args:
        folder: Where they are kept (created when needed).
    """

    def __init__(self, folder: Path) -> None:
        self._store = Store(folder)
        self.hits = 0
        self.misses = 0

    def _key(self, kind: str, data: bytes) -> str:
        digest = hashlib.sha256(digests.code())
        digest.update(kind.encode())
        digest.update(data)
        return digest.hexdigest()

    def identity(self, entry: GroupEntry) -> Identity:
        """The group's title and summary, kept or derived."""
        if entry.digest is None:
            return group_identity(entry.meta, entry.report, entry.tools)
        key = self._key("identity", f"{entry.digest}\0{entry.meta!r}".encode())
        kept = self._store.get(key)
        if isinstance(kept, Identity):
            return kept
        identity = group_identity(entry.meta, entry.report, entry.tools)
        self._store.put(key, identity)
        return identity

    def start(
        self, jobs: list[GroupJob], start_all: StartAll
    ) -> Callable[[], tuple[list[list[Rendered]], list[str]]]:
        """Start rendering the jobs not kept (by `start_all`).

        Returns:
            What waits for them, then returns every job's rendering (kept or new) and
            every job's key.
        """
        keys = [
            self._key("answers", pickle.dumps(dataclasses.replace(job, root=""), protocol=5))
            for job in jobs
        ]
        results: list[list[Rendered] | None] = []
        for key in keys:
            kept = self._store.get(key)
            results.append(_rooted(kept) if _well_formed(kept) else None)
        missing = [i for i, found in enumerate(results) if found is None]
        self.hits += len(jobs) - len(missing)
        self.misses += len(missing)
        later = start_all([jobs[i] for i in missing])

        def finish() -> tuple[list[list[Rendered]], list[str]]:
            for i, rendered in zip(missing, later(), strict=True):
                results[i] = rendered
                self._store.put(keys[i], (jobs[i].root, rendered))
            return [r for r in results if r is not None], keys

        return finish

    def prune(self) -> int:
        """Remove what this build did not use; return how many."""
        return self._store.prune()


def _well_formed(kept: object) -> TypeGuard[tuple[str, list[Rendered]]]:
    return (
        isinstance(kept, tuple)
        and len(kept) == 2
        and isinstance(kept[0], str)
        and isinstance(kept[1], list)
        and all(isinstance(r, Rendered) for r in kept[1])
    )


def _rooted(kept: tuple[str, list[Rendered]]) -> list[Rendered]:
    """A kept rendering with this process's root token in place of the one it was made with."""
    root, rendered = kept
    if root == ROOT:
        return rendered
    return [Rendered(r.html.replace(root, ROOT), r.text.replace(root, ROOT)) for r in rendered]
