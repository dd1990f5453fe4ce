"""Tests of `report-archive import` against real git repositories made in tmp_path."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from report_archive.staff.importer import GroupResult, GroupStatus, ImportOptions, import_roster
from report_archive.staff.roster import read_roster

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX symlinks and sh")

SEMESTER = "2026-january"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make commits work on a fresh machine and keep the user's git config out."""
    for var in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{var}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{var}_EMAIL", "test@example.com")
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def make_repo(
    path: Path, files: dict[str, bytes | str], links: dict[str, str] | None = None
) -> str:
    """Create a repository with `files` and symbolic `links`; return the commit hash."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return commit(path, files, links)


def commit(
    repo: Path,
    files: dict[str, bytes | str],
    links: dict[str, str] | None = None,
    remove: tuple[str, ...] = (),
) -> str:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
    for name, points_to in (links or {}).items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(points_to, target)
    for name in remove:
        git(repo, "rm", "-q", name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    return git(repo, "rev-parse", "HEAD")


def write_roster(path: Path, rows: list[str], extra: str = "") -> Path:
    header = "group_number,student_1,student_2,student_3,student_4,student_5,repo_url" + extra
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def by_group(results: list[GroupResult]) -> dict[int, GroupResult]:
    return {r.group: r for r in results}


GOOD_README = """# Exam template for 02476 Machine Learning Operations

### Question 1
> **Enter the group number you signed up on <learn.inside.dtu.dk>**
>
> Answer:

1

![architecture](figures/Architecture.png)
![overview](<overview.svg> "title")
<img src="./figures/sub/detail.jpg" width="50%">
![up](../docs/outside.png)
![web](https://example.com/remote.png)
[a link to the code](../src/model.py)
"""


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """Repositories for several groups and a roster pointing at them."""
    repos = tmp_path / "repos"
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET" * 10)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.png").write_bytes(PNG)

    # 1: a good report with figures in and out of figures/, and things not to copy.
    make_repo(
        repos / "g1",
        {
            "reports/README.md": GOOD_README,
            "reports/figures/Architecture.png": PNG,
            "reports/figures/sub/detail.jpg": b"JPEG",
            "reports/figures/unreferenced.webp": b"WEBP",
            "reports/figures/data.csv": "a,b\n",
            "reports/overview.svg": "<svg/>",
            "reports/unused.png": PNG,
            "reports/report.py": "print('hi')\n",
            "docs/outside.png": PNG,
            "src/model.py": "x = 1\n",
        },
    )
    # 2: no report at all.
    make_repo(repos / "g2", {"README.md": "# project\n", "reports/figures/a.png": PNG})
    # 3: symbolic links pointing out of the repository.
    make_repo(
        repos / "g3",
        {
            "reports/README.md": "![leak](figures/leak.png)\n![rel](figures/rel.png)\n"
            "![dir](figures/outdir/x.png)\n![ok](figures/ok.png)\n",
            "reports/figures/ok.png": PNG,
        },
        links={
            "reports/figures/leak.png": str(secret),
            "reports/figures/rel.png": "../../../../secret.png",
            "reports/figures/outdir": str(tmp_path / "outside"),
        },
    )
    # 4: an oversized image and an image kept in Git LFS.
    make_repo(
        repos / "g4",
        {
            "reports/README.md": "![big](figures/big.png)\n![small](figures/small.png)\n",
            "reports/figures/big.png": PNG * 40,
            "reports/figures/small.png": PNG,
            "reports/figures/lfs.png": "version https://git-lfs.github.com/spec/v1\n"
            "oid sha256:abc\nsize 12345\n",
        },
    )
    # 5: changes between two imports (see test_rerun_updates_only_what_changed).
    make_repo(
        repos / "g5",
        {
            "reports/README.md": "first\n![a](figures/a.png)\n",
            "reports/figures/a.png": PNG,
            "reports/figures/b.png": PNG + b"b",
        },
    )
    write_roster(
        tmp_path / "roster.csv",
        [
            "1,s100001,S100002,,,,repos/g1",
            "2,s200001,,,,,repos/g2",
            "3,s300001,,,,,repos/g3",
            "4,s400001,,,,,repos/g4",
            f"5,s500001,,,,,{(repos / 'g5').as_uri()}",
            f"6,s600001,,,,,{repos / 'missing'}",
        ],
    )
    return tmp_path


def run_import(base: Path, **kw: object) -> list[GroupResult]:
    kw.setdefault("max_file_size", 1000)
    options = ImportOptions(
        semester=SEMESTER,
        reports_dir=base / "reports",
        base_dir=base,
        **kw,  # type: ignore[arg-type]
    )
    return import_roster(read_roster(base / "roster.csv"), options)


def test_first_import(world: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    results = by_group(run_import(world))
    out = world / "reports" / SEMESTER

    assert {g: r.status for g, r in results.items()} == {
        1: GroupStatus.NEW,
        2: GroupStatus.FAILED,
        3: GroupStatus.NEW,
        4: GroupStatus.NEW,
        5: GroupStatus.NEW,
        6: GroupStatus.FAILED,
    }

    # Group 1: the report, figures/**, and referenced images inside reports/ only.
    g1 = out / "group-1"
    assert tree(g1) == {
        "README.md",
        "group.yml",
        "figures/Architecture.png",
        "figures/sub/detail.jpg",
        "figures/unreferenced.webp",
        "overview.svg",
    }
    assert (g1 / "README.md").read_text() == GOOD_README
    assert (g1 / "figures/Architecture.png").read_bytes() == PNG
    assert results[1].files == (
        "README.md",
        "figures/Architecture.png",
        "figures/sub/detail.jpg",
        "figures/unreferenced.webp",
        "overview.svg",
    )
    assert any("../docs/outside.png" in d and "outside" in d for d in results[1].diagnostics)
    assert results[1].note == "4 figures"

    meta = load(g1 / "group.yml")
    head = git(world / "repos" / "g1", "rev-parse", "HEAD")
    assert list(meta) == ["repository", "commit", "imported", "members"]
    assert meta["repository"] == "repos/g1"
    assert meta["commit"] == head == results[1].commit
    assert meta["members"] == ["s100001", "s100002"]
    imported = datetime.fromisoformat(str(meta["imported"]))
    assert imported.tzinfo is not None and imported.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert before <= imported <= datetime.now(UTC)

    # Group 2: no report.
    assert "no reports/README.md" in results[2].note
    assert not (out / "group-2").exists()

    # Group 3: no symbolic link is copied or followed.
    g3 = out / "group-3"
    assert tree(g3) == {"README.md", "group.yml", "figures/ok.png"}
    assert not any(p.is_symlink() for p in g3.rglob("*"))
    assert not any(b"SECRET" in p.read_bytes() for p in g3.rglob("*") if p.is_file())
    notes = "\n".join(results[3].diagnostics)
    for name in ("leak.png", "rel.png", "outdir"):
        assert f"reports/figures/{name}: symbolic link; not copied" in notes

    # Group 4: the big image and the LFS pointer are skipped with a diagnostic.
    assert tree(out / "group-4") == {"README.md", "group.yml", "figures/small.png"}
    notes = "\n".join(results[4].diagnostics)
    assert "reports/figures/big.png" in notes and "over the 1000 bytes limit" in notes
    assert "reports/figures/lfs.png: stored in Git LFS" in notes

    # Group 6: missing repository.
    assert "repository not found" in results[6].note
    assert results[6].line == 7

    # Nothing but group folders is left in the semester folder.
    assert sorted(p.name for p in out.iterdir()) == [
        "group-1",
        "group-3",
        "group-4",
        "group-5",
    ]


def test_rerun_updates_only_what_changed(world: Path) -> None:
    first = by_group(run_import(world))
    out = world / "reports" / SEMESTER
    g5 = out / "group-5"
    assert tree(g5) == {"README.md", "group.yml", "figures/a.png", "figures/b.png"}
    g1_mtime = (out / "group-1" / "README.md").stat().st_mtime_ns

    # Staff give the group a title and a note by hand; the group changes its report.
    meta = load(g5 / "group.yml")
    meta["title"] = "Hand-written title"
    (g5 / "group.yml").write_text(yaml.safe_dump(meta, sort_keys=False))
    (g5 / "notes.md").write_text("staff notes\n")
    new_head = commit(
        world / "repos" / "g5",
        {"reports/README.md": "second\n![c](figures/c.png)\n", "reports/figures/c.png": PNG},
        remove=("reports/figures/b.png",),
    )

    second = by_group(run_import(world))
    assert {g: r.status for g, r in second.items()} == {
        1: GroupStatus.UNCHANGED,
        2: GroupStatus.FAILED,
        3: GroupStatus.UNCHANGED,
        4: GroupStatus.UNCHANGED,
        5: GroupStatus.UPDATED,
        6: GroupStatus.FAILED,
    }
    assert (out / "group-1" / "README.md").stat().st_mtime_ns == g1_mtime
    result = second[5]
    assert result.commit == new_head != first[5].commit
    assert result.previous_commit == first[5].commit
    assert result.note == (
        f"was {first[5].commit[:7]}; README.md changed, 1 figure added, 1 figure removed"  # type: ignore[index]
    )
    assert tree(g5) == {"README.md", "group.yml", "notes.md", "figures/a.png", "figures/c.png"}
    assert (g5 / "README.md").read_text() == "second\n![c](figures/c.png)\n"
    meta = load(g5 / "group.yml")
    assert meta["commit"] == new_head
    assert meta["title"] == "Hand-written title"
    assert (g5 / "notes.md").read_text() == "staff notes\n"


def test_unchanged_groups_are_not_cloned(world: Path, tmp_path: Path) -> None:
    run_import(world)
    log = tmp_path / "git.log"
    wrapper = tmp_path / "git-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec git "$@"\n')
    wrapper.chmod(0o755)

    results = by_group(run_import(world, git=str(wrapper)))
    assert results[1].status is GroupStatus.UNCHANGED
    calls = log.read_text().splitlines()
    assert sum(" ls-remote " in c for c in calls) == 5  # every group but the missing one
    cloned = {c.split(" -- ")[1].split()[0].rsplit("/", 1)[1] for c in calls if " clone " in c}
    assert cloned == {"g2"}  # only the group that failed last time (no report)
    assert all("-c core.hooksPath=/dev/null" in c for c in calls)
    assert all("-c protocol.ext.allow=never" in c for c in calls)


def test_roster_changes_rewrite_group_yml_only(world: Path) -> None:
    run_import(world)
    roster = (world / "roster.csv").read_text().replace("s100001,S100002", "s100001,s100003")
    (world / "roster.csv").write_text(roster)
    results = by_group(run_import(world))
    assert results[1].status is GroupStatus.UPDATED
    assert results[1].note == "group.yml rewritten: members changed in the roster"
    assert results[3].status is GroupStatus.UNCHANGED
    meta = load(world / "reports" / SEMESTER / "group-1" / "group.yml")
    assert meta["members"] == ["s100001", "s100003"]


def test_dry_run_writes_nothing(world: Path) -> None:
    results = by_group(run_import(world, dry_run=True))
    assert not (world / "reports").exists()
    assert results[1].status is GroupStatus.NEW and results[1].note == "would import"
    assert results[1].commit == git(world / "repos" / "g1", "rev-parse", "HEAD")
    assert results[6].status is GroupStatus.FAILED

    run_import(world)
    first = load(world / "reports" / SEMESTER / "group-5" / "group.yml")["commit"]
    commit(world / "repos" / "g5", {"reports/README.md": "changed\n"})
    results = by_group(run_import(world, dry_run=True))
    assert results[5].status is GroupStatus.UPDATED
    assert results[5].note == f"would update from {str(first)[:7]}"
    assert load(world / "reports" / SEMESTER / "group-5" / "group.yml")["commit"] == first
    assert results[1].status is GroupStatus.UNCHANGED


def test_branch_and_pinned_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    old = make_repo(repo, {"reports/README.md": "old\n"})
    commit(repo, {"reports/README.md": "new\n"})
    git(repo, "checkout", "-q", "-b", "dev")
    dev = commit(repo, {"reports/README.md": "dev\n"})
    git(repo, "checkout", "-q", "main")
    write_roster(
        tmp_path / "roster.csv",
        [f"1,s1,,,,,{repo},,", f"2,s2,,,,,{repo},dev,", f"3,s3,,,,,{repo},,{old}"],
        extra=",branch,commit",
    )
    results = by_group(run_import(tmp_path))
    out = tmp_path / "reports" / SEMESTER
    assert [results[g].status for g in (1, 2, 3)] == [GroupStatus.NEW] * 3
    assert (out / "group-1" / "README.md").read_text() == "new\n"
    assert (out / "group-2" / "README.md").read_text() == "dev\n"
    assert (out / "group-3" / "README.md").read_text() == "old\n"
    assert load(out / "group-2" / "group.yml")["branch"] == "dev"
    assert load(out / "group-2" / "group.yml")["commit"] == dev
    assert load(out / "group-3" / "group.yml")["commit"] == old
    assert "branch" not in load(out / "group-3" / "group.yml")


def test_unknown_branch_and_commit_fail(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    make_repo(repo, {"reports/README.md": "x\n"})
    write_roster(
        tmp_path / "roster.csv",
        [f"1,s1,,,,,{repo},nope,", f"2,s2,,,,,{repo},,{'ab' * 20}"],
        extra=",branch,commit",
    )
    results = by_group(run_import(tmp_path))
    assert results[1].note == "branch 'nope' not found"
    assert results[2].note == "commit abababa not found in the repository"


def test_clone_timeout_fails_only_that_group(tmp_path: Path) -> None:
    slow = tmp_path / "slow"
    make_repo(slow, {"reports/README.md": "slow\n"})
    fast = tmp_path / "fast"
    make_repo(fast, {"reports/README.md": "fast\n"})
    wrapper = tmp_path / "git-wrapper"
    wrapper.write_text('#!/bin/sh\ncase "$*" in *" clone "*slow*) sleep 30;; esac\nexec git "$@"\n')
    wrapper.chmod(0o755)
    write_roster(tmp_path / "roster.csv", [f"1,s1,,,,,{slow}", f"2,s2,,,,,{fast}"])
    # long enough for the fast clone on a busy machine (the tests run in two processes)
    results = by_group(run_import(tmp_path, git=str(wrapper), timeout=4))
    assert results[1].status is GroupStatus.FAILED
    assert results[1].note == "clone timed out after 4 s"
    assert results[2].status is GroupStatus.NEW


def import_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``report-archive import`` in a subprocess from `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "report_archive.cli", "import", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_summary_and_exit_codes(world: Path) -> None:
    common = ("--semester", SEMESTER, "--max-file-size", "1000", "--jobs", "3")
    done = import_cli(world, "--roster", "roster.csv", *common)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    rows = {
        line.split()[0]: line.split()
        for line in done.stdout.splitlines()
        if line[:1].isdigit() and "groups:" not in line
    }
    assert rows["1"][1:3] == ["new", git(world / "repos" / "g1", "rev-parse", "--short=7", "HEAD")]
    assert rows["2"][1] == "failed" and "no reports/README.md" in " ".join(rows["2"])
    assert rows["6"][1] == "failed"
    assert "6 groups: 4 new, 0 updated, 0 unchanged, 2 failed" in done.stdout
    assert "roster.csv:3: group 2 failed: no reports/README.md" in done.stderr
    assert "group 4: reports/figures/big.png" in done.stderr
    assert (world / "reports" / SEMESTER / "group-1" / "README.md").is_file()

    # Only the groups that import cleanly: exit 0, and everything unchanged on a re-run.
    ok = write_roster(world / "ok.csv", ["1,s100001,S100002,,,,repos/g1", "4,s400001,,,,,repos/g4"])
    done = import_cli(world, "--roster", str(ok), *common)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 groups: 0 new, 0 updated, 2 unchanged, 0 failed" in done.stdout

    # A malformed roster: exit 2, the file, line and column named, no traceback.
    bad = write_roster(world / "bad.csv", ["1,s1,,,,,repos/g1", "two,s2,,,,,repos/g2"])
    done = import_cli(world, "--roster", str(bad), *common)
    assert done.returncode == 2
    assert f"{bad}:3: column 'group_number'" in done.stderr
    assert "Traceback" not in done.stderr

    done = import_cli(world, "--roster", str(ok), "--semester", "../escape")
    assert done.returncode == 2 and "not a plain folder name" in done.stderr


def mktree(repo: Path, entries: list[tuple[str, str, str]]) -> str:
    text = "".join(
        f"{mode} {'tree' if mode == '040000' else 'blob'} {oid}\t{name}\n"
        for mode, oid, name in entries
    )
    return subprocess.run(
        ["git", "mktree"], cwd=repo, input=text, capture_output=True, text=True, check=True
    ).stdout.strip()


def blob(repo: Path, data: bytes) -> str:
    return (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=repo,
            input=data,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )


def test_hostile_tree_paths_and_symlinked_report(tmp_path: Path) -> None:
    # A tree no checkout would accept: reports/figures/../../evil.png and reports/.git/x.png.
    evil = tmp_path / "evil"
    evil.mkdir()
    git(evil, "init", "-q", "-b", "main")
    png = blob(evil, PNG)
    inner = mktree(evil, [("100644", png, "evil.png")])
    up = mktree(evil, [("040000", inner, "..")])
    figures = mktree(evil, [("040000", up, ".."), ("100644", png, "fine.png")])
    dotgit = mktree(evil, [("100644", png, "x.png")])
    reports = mktree(
        evil,
        [
            ("100644", blob(evil, b"![f](figures/fine.png)\n"), "README.md"),
            ("040000", dotgit, ".git"),
            ("040000", figures, "figures"),
        ],
    )
    root = mktree(evil, [("040000", reports, "reports")])
    head = git(evil, "commit-tree", root, "-m", "evil")
    git(evil, "update-ref", "refs/heads/main", head)

    linked = tmp_path / "linked"
    make_repo(linked, {"real.md": "# secret\n"}, links={"reports/README.md": "../real.md"})
    write_roster(tmp_path / "roster.csv", [f"1,s1,,,,,{evil}", f"2,s2,,,,,{linked}"])

    results = by_group(run_import(tmp_path))
    out = tmp_path / "reports" / SEMESTER
    assert results[1].status is GroupStatus.NEW
    assert tree(out / "group-1") == {"README.md", "group.yml", "figures/fine.png"}
    assert not (tmp_path / "reports" / "evil.png").exists()
    assert not (out / "evil.png").exists()
    notes = "\n".join(results[1].diagnostics)
    assert "reports/figures/../../evil.png: unsafe path; not copied" in notes
    assert "reports/.git/x.png: unsafe path; not copied" in notes

    assert results[2].status is GroupStatus.FAILED
    assert results[2].note == "reports/README.md is a symbolic link; not imported"
    assert not (out / "group-2").exists()


def test_groups_dropped_from_the_roster_are_named_then_pruned(world: Path) -> None:
    common = ("--semester", SEMESTER, "--max-file-size", "1000")
    first = write_roster(world / "first.csv", ["1,s1,,,,,repos/g1", "5,s5,,,,,repos/g5"])
    assert import_cli(world, "--roster", str(first), *common).returncode == 0
    semester = world / "reports" / SEMESTER
    by_hand = semester / "group-9"
    by_hand.mkdir()
    (by_hand / "README.md").write_text("# added by hand\n")
    later = write_roster(world / "later.csv", ["1,s1,,,,,repos/g1"])

    done = import_cli(world, "--roster", str(later), *common)
    assert done.returncode == 0, done.stderr
    assert f"{Path('reports') / SEMESTER / 'group-5'}: not in {later}; kept" in done.stderr
    assert "group-9" not in done.stderr  # not imported: never offered for removal
    assert (semester / "group-5" / "README.md").is_file()

    done = import_cli(world, "--roster", str(later), *common, "--prune", "--dry-run")
    assert "group-5: not in" in done.stderr and "would be removed" in done.stderr
    assert (semester / "group-5").is_dir()

    done = import_cli(world, "--roster", str(later), *common, "--prune")
    assert done.returncode == 0 and "; removed" in done.stderr
    assert not (semester / "group-5").exists()
    assert (semester / "group-1" / "README.md").is_file() and by_hand.is_dir()


def test_pinned_commit_from_a_server_that_refuses_fetching_by_hash(tmp_path: Path) -> None:
    """Protocol v0 with every ``uploadpack.allow*SHA1InWant`` off: a commit that is not a
    branch tip cannot be fetched by hash, so the importer fetches the branches instead."""
    (tmp_path / "gitconfig").write_text(
        "[protocol]\n\tversion = 0\n[uploadpack]\n\tallowTipSHA1InWant = false\n"
        "\tallowReachableSHA1InWant = false\n\tallowAnySHA1InWant = false\n"
    )
    repo = tmp_path / "repo"
    old = make_repo(repo, {"reports/README.md": "old\n"})
    commit(repo, {"reports/README.md": "new\n"})
    probe = tmp_path / "probe"
    git(tmp_path, "init", "-q", str(probe))
    refused = subprocess.run(
        ["git", "fetch", "-q", "--depth", "1", repo.as_uri(), old],
        cwd=probe,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0, "this git serves any commit by hash: nothing to test"
    write_roster(tmp_path / "roster.csv", [f"1,s1,,,,,{repo.as_uri()},,{old}"], ",branch,commit")
    (result,) = run_import(tmp_path)
    assert result.status is GroupStatus.NEW, result.note
    folder = tmp_path / "reports" / SEMESTER / "group-1"
    assert (folder / "README.md").read_text() == "old\n"
    assert load(folder / "group.yml")["commit"] == old


def test_bad_values_in_group_yml_are_reported_not_fatal(world: Path) -> None:
    """A date YAML cannot construct, a bad title: named with file and line, import goes on."""
    run_import(world)
    folder = world / "reports" / SEMESTER / "group-1"
    text = (folder / "group.yml").read_text().replace("imported:", "old:")
    (folder / "group.yml").write_text(text + "imported: 2026-13-01\ntitle: [a, b]\n")
    roster = (world / "roster.csv").read_text().replace("s100001,S100002", "s100001,s100003")
    (world / "roster.csv").write_text(roster)
    results = by_group(run_import(world))
    assert results[1].status is GroupStatus.UPDATED, results[1].note
    notes = "\n".join(results[1].diagnostics)
    lines = (folder / "group.yml").read_text().splitlines()
    assert f"{folder / 'group.yml'}:" in notes and "imported: '2026-13-01' is not a date" in notes
    assert "title: expected text, got a list" in notes
    meta = load(folder / "group.yml")
    assert meta["members"] == ["s100001", "s100003"]
    assert meta["title"] == ["a", "b"]  # staff's key, kept as it was
    assert str(meta["imported"]) != "2026-13-01" and "old" in meta
    assert len(lines) == len(set(lines))

    done = import_cli(world, "--roster", "roster.csv", "--semester", SEMESTER, "--jobs", "2")
    assert "Traceback" not in done.stderr and "internal error" not in done.stdout
    assert "title: expected text, got a list" in done.stderr


ESC_NAME = "\x1b]0;pwned\x07"  # retitles the terminal window when printed raw
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture
def hostile_world(tmp_path: Path) -> Path:
    """A group whose file names carry ESC and bidi characters, and a repository path with ESC."""
    make_repo(
        tmp_path / "repos" / "g1",
        {
            "reports/README.md": f"![a](figures/{ESC_NAME}.png)\n",
            f"reports/figures/{ESC_NAME}.png": PNG,
        },
        links={"reports/figures/\u202egnp.exe.png": "../README.md"},
    )
    write_roster(
        tmp_path / "roster.csv",
        ["1,s1,,,,,repos/g1", f"2,s2,,,,,repos/missing-{ESC_NAME}"],
    )
    return tmp_path


def assert_escaped(text: str) -> None:
    assert not UNSAFE_CHARACTERS.findall(text)
    assert "figures/\\x1b]0;pwned\\x07.png: unsafe path; not copied" in text
    assert "figures/\\u202egnp.exe.png: symbolic link; not copied" in text
    assert "repository not found:" in text and "missing-\\x1b]0;pwned\\x07" in text


def test_cli_escapes_student_file_names(hostile_world: Path) -> None:
    done = import_cli(hostile_world, "--roster", "roster.csv", "--semester", SEMESTER)
    assert done.returncode == 1, done.stderr
    assert_escaped(done.stdout + done.stderr)


def test_cli_rich_output_on_a_terminal_escapes_student_file_names(hostile_world: Path) -> None:
    """On a terminal rich draws the bar and the table; the student's text is escaped."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "report_archive.cli", "import", "--roster", "roster.csv"]
    with subprocess.Popen(
        [*command, "--semester", SEMESTER],
        cwd=hostile_world,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        os.close(secondary)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
            while chunk := os.read(primary, 65536):
                shown += chunk
        err = process.stderr.read().decode() if process.stderr else ""
    os.close(primary)
    assert process.returncode == 1, err
    out = shown.decode()
    assert "┏" in out and "\x1b[" in out  # rich's own table and colours
    assert ESC_NAME not in out and "\u202e" not in out
    assert "missing-\\x1b]0;pwned\\x07 │" in out  # in rich's table
    assert_escaped(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", out) + err)  # rich's codes aside


def test_one_blob_named_many_times_stays_under_the_group_limit(tmp_path: Path) -> None:
    """30 names for one 100 kB blob would write 3 MB: the group limit stops it, and the
    figure the report shows is copied first."""
    repo = tmp_path / "many"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    big = blob(repo, PNG + os.urandom(100_000))
    shown = blob(repo, PNG + os.urandom(100_000))
    figures = mktree(
        repo,
        [("100644", big, f"copy{i:02}.png") for i in range(30)]
        + [("100644", shown, "zz-shown.png")],
    )
    reports = mktree(
        repo,
        [
            ("100644", blob(repo, b"![f](figures/zz-shown.png)\n"), "README.md"),
            ("040000", figures, "figures"),
        ],
    )
    head = git(repo, "commit-tree", mktree(repo, [("040000", reports, "reports")]), "-m", "x")
    git(repo, "update-ref", "refs/heads/main", head)
    write_roster(tmp_path / "roster.csv", [f"1,s1,,,,,{repo}"])

    (result,) = run_import(tmp_path, max_file_size=1_000_000, max_group_size=500_000)
    folder = tmp_path / "reports" / SEMESTER / "group-1"
    assert result.status is GroupStatus.NEW
    assert "figures/zz-shown.png" in result.files
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert 200_000 < size <= 500_000 + 1000  # group.yml besides
    skipped = [d for d in result.diagnostics if "limit" in d]
    assert len(skipped) >= 25
    assert all("the group's files would pass the 488.3 kB limit; not copied" in d for d in skipped)
