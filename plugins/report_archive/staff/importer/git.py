"""Running git on a hostile repository: nothing from it runs, nothing waits forever.

Hooks are disabled, LFS smudging, submodules and terminal prompts are off, git cannot be
pointed at another repository by the environment, and each repository has a time limit.
Every process an import starts is registered with its `Processes`, so that an interrupted
import kills them all at once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from report_archive.staff.importer.errors import GroupFailure
from report_archive.staff.roster import RosterEntry

__all__ = ["Git", "Processes", "TreeEntry", "is_local", "source_url"]

_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
)


class Processes:
    """The git processes of one import, so that all of them can be stopped at once."""

    def __init__(self) -> None:
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def add(self, process: subprocess.Popen[bytes]) -> None:
        """Register a process that has started."""
        with self._lock:
            self._live.add(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        """Forget a process that has ended."""
        with self._lock:
            self._live.discard(process)

    def kill_all(self) -> None:
        """Kill every registered process (and what it started)."""
        with self._lock:
            for process in list(self._live):
                _kill(process)


@dataclass(frozen=True)
class TreeEntry:
    """One entry of ``git ls-tree`` (its path relative to ``reports/`` in `Git.list_reports`)."""

    mode: str
    kind: str
    oid: str
    size: int | None
    path: str


def is_local(repo_url: str) -> bool:
    """Whether a roster's repository is a local path or ``file://`` URL, not https."""
    return urlsplit(repo_url).scheme.lower() != "https"


def source_url(repo_url: str, base_dir: Path | None) -> str:
    """Return what to give git: https and file URLs as they are, paths as file URLs.

    Local paths go through the file:// transport so that ``--depth`` applies and git does
    not copy the repository's files directly.
    """
    scheme = urlsplit(repo_url).scheme.lower()
    if scheme in ("https", "file"):
        return repo_url
    path = Path(repo_url).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    if not path.exists():
        raise GroupFailure(f"repository not found: {path}")
    return path.resolve().as_uri()


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


class Git:
    """Runs git with everything a hostile repository could use switched off."""

    def __init__(
        self,
        executable: str,
        timeout: float,
        *,
        local: bool,
        processes: Processes,
        cancel: threading.Event | None = None,
    ) -> None:
        """Prepare to run git on one repository.

        Args:
            executable: The git program.
            timeout: Seconds for everything done with this repository.
            local: Whether the repository is a local path (the file transport is allowed).
            processes: Where the processes started are registered.
            cancel: When set, the next command fails at once ("cancelled").
        """
        self.executable = executable
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.cancel = cancel
        self.processes = processes
        self.config = [
            "-c", "core.hooksPath=/dev/null",
            "-c", "core.fsmonitor=false",
            "-c", "protocol.ext.allow=never",
            "-c", f"protocol.file.allow={'always' if local else 'never'}",
            "-c", "submodule.recurse=false",
            "-c", "fetch.recurseSubmodules=false",
            "-c", "advice.detachedHead=false",
            "-c", "init.defaultBranch=main",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
        env.update(
            GIT_TERMINAL_PROMPT="0",
            GIT_LFS_SKIP_SMUDGE="1",
            GIT_NO_REPLACE_OBJECTS="1",
            LC_ALL="C",
            LANGUAGE="C",
        )
        self.env = env

    def run(self, args: list[str], action: str, cwd: Path | None = None) -> bytes:
        """Run git within the repository's time limit; return its standard output."""
        if self.cancel is not None and self.cancel.is_set():
            raise GroupFailure("cancelled")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise GroupFailure(f"{action} timed out after {self.timeout:g} s")
        try:
            process = subprocess.Popen(
                [self.executable, *self.config, *args],
                cwd=cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise GroupFailure(f"cannot run {self.executable}: {exc.strerror or exc}") from exc
        self.processes.add(process)
        try:
            out, err = process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            raise GroupFailure(f"{action} timed out after {self.timeout:g} s") from None
        finally:
            self.processes.discard(process)
        if process.returncode != 0:
            if self.cancel is not None and self.cancel.is_set():
                raise GroupFailure("cancelled")
            raise GroupFailure(_explain(action, err))
        return out

    def remote_commit(self, url: str, branch: str | None) -> str:
        """Ask the remote for the commit of `branch` (or of its default branch)."""
        if branch is None:
            out = self.run(["ls-remote", "--symref", "--", url, "HEAD"], "ls-remote")
            wanted = "HEAD"
        else:
            wanted = f"refs/heads/{branch}"
            out = self.run(["ls-remote", "--", url, wanted], "ls-remote")
        for line in out.decode("utf-8", "replace").splitlines():
            oid, _, name = line.partition("\t")
            if name == wanted and _HASH.fullmatch(oid):
                return oid
        if branch is None:
            raise GroupFailure("repository is empty (no default branch)")
        raise GroupFailure(f"branch {branch!r} not found")

    def fetch(self, url: str, entry: RosterEntry, repo: Path) -> str:
        """Fetch the wanted commit into a new repository at `repo`, without a checkout.

        Returns:
            The full hash of the fetched commit.
        """
        if entry.commit is None:
            args = ["clone", "--template=", "--depth", "1", "--no-tags", "--single-branch"]
            args += ["--no-checkout", "--no-recurse-submodules", "--quiet"]
            if entry.branch is not None:
                args += ["--branch", entry.branch]
            self.run([*args, "--", url, str(repo)], "clone")
            head = self.run(["rev-parse", "--verify", "HEAD^{commit}"], "clone", cwd=repo)
            return head.decode().strip()
        self.run(["init", "--quiet", "--template=", str(repo)], "clone")
        try:
            self.run(
                ["fetch", "--quiet", "--depth", "1", "--no-tags", "--", url, entry.commit],
                "clone",
                cwd=repo,
            )
        except GroupFailure as exc:
            if "timed out" in str(exc) or "cancelled" in str(exc):
                raise
            # The server refuses to serve a commit by hash: fetch its branches instead.
            self.run(
                ["fetch", "--quiet", "--no-tags", "--", url, "+refs/heads/*:refs/remotes/o/*"],
                "clone",
                cwd=repo,
            )
        try:
            self.run(["cat-file", "-e", f"{entry.commit}^{{commit}}"], "clone", cwd=repo)
        except GroupFailure:
            raise GroupFailure(f"commit {entry.commit[:7]} not found in the repository") from None
        return entry.commit

    def list_reports(self, repo: Path, commit: str) -> list[TreeEntry]:
        """List every entry under ``reports/`` at `commit`, recursively."""
        entries = self._tree(repo, ["-r", commit, "--", "reports/"])
        return [
            TreeEntry(e.mode, e.kind, e.oid, e.size, e.path[len("reports/") :])
            for e in entries
            if e.path.startswith("reports/")
        ]

    def list_top(self, repo: Path, commit: str) -> list[TreeEntry]:
        """List the entries of the repository's top folder at `commit`."""
        return self._tree(repo, [commit])

    def _tree(self, repo: Path, args: list[str]) -> list[TreeEntry]:
        out = self.run(
            ["ls-tree", "-l", "-z", "--full-tree", *args], "reading the repository", cwd=repo
        )
        entries = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            try:
                mode, kind, oid, size = meta.decode("ascii").split()
                path = raw_path.decode("utf-8")
            except (UnicodeDecodeError, ValueError):
                continue
            entries.append(TreeEntry(mode, kind, oid, int(size) if size.isdigit() else None, path))
        return entries

    def read_blob(self, repo: Path, oid: str) -> bytes:
        """Return a blob's content."""
        return self.run(["cat-file", "blob", oid], "reading the repository", cwd=repo)


def _explain(action: str, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    message = next(
        (line for line in lines if line.startswith("fatal:")), lines[-1] if lines else ""
    )
    message = message.removeprefix("fatal:").strip()
    lowered = text.lower()
    if any(
        s in lowered
        for s in (
            "repository not found",
            "could not read username",
            "terminal prompts disabled",
            "authentication failed",
            "does not appear to be a git repository",
            "access denied",
            "permission denied",
        )
    ):
        return (
            f"repository not found or private ({message})"
            if message
            else "repository not found or private"
        )
    return f"{action} failed: {message}" if message else f"{action} failed"
