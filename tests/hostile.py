"""A hostile archive: every way of attacking the site that a student (or a repository) has.

`make_hostile_archive` writes, under a folder, a ``reports/`` tree that carries at once:

1. HTML in what becomes search filters, titles and searched text: a report that follows no
   known template (its question titles come from its headings), a ``semester.yml`` title, a
   ``group.yml`` project title and a checklist note; HTML and a student number in a sentence
   that tool pages quote as evidence (`EVIDENCE`);
2. SVG figures that are their own XSLT stylesheet, load CSS from elsewhere, carry script;
3. metadata values PyYAML cannot construct (``imported: 2026-13-01``, ``order: 2026-02-30``);
4. cells a spreadsheet would run as formulas (question titles, figure paths);
5. lines that make regular expressions slow (``<a <a <a ...``, ``![`` repeated, ``[x](((...``);
6. student numbers in every form the parser reads, in file names and attribute values too;
7. links (symbolic and hard) to a secret file outside the archive;
8. a report over the size limit and a decompression-bomb PNG;
9. escape sequences in file names and headings (printed to the staff's terminal);
10. project titles and summaries with HTML, student numbers and control characters: in a
    ``group.yml`` written by hand, and read by ``report-archive import`` from the README of
    a real git repository (`IMPORTED`).
11. figures linked to the group's repository (``figures.mode: link``) with hostile alt texts
    and file names (group-16).

(The GitHub workflows are checked by ``zizmor`` in ``make lint``.)

The tests build it strict, scan every file of the site for the secret and for student
numbers, open it in Chromium, and run ``report-archive check`` on it.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from pathlib import Path

import yaml

from report_archive.staff.importer import ImportOptions, import_group
from report_archive.staff.roster import RosterEntry
from tests.reports import PNG, T2026, filled, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECRET = "HOSTILE-OUTSIDE-SECRET-41c2"
MEMBERS = ["s123450", "s123451", "s123452", "s123453", "s123454"]
DIGITS = frozenset({m[1:] for m in MEMBERS} | {"123455", "123456", "123457", "123458", "224176"})
"""Every student number the hostile archive holds, as six digits."""
XSS = "<img src=x onerror=alert(document.domain)>"
SLOW_LINE = "<a " * 20_000
ESC = "\x1b]0;pwned\x07"
SEMESTER = "2026-january"
UNKNOWN = "group-3"
"""The report that follows no known template (its headings become question titles)."""
FORMS = (
    "s 123450, s-123451, **s**123452, s\u200b123453, ｓ１２３４５４, s1234\u00ad55, "
    "<b>s</b>123456, S123457"
)
"""Student numbers in every form the parser reads (a member's bare digits aside)."""
NUMBERS = f"{FORMS} and 123450"
IMPORTED = 21
"""The group imported from a repository whose README has a hostile title and summary."""
README = (
    f'# {XSS} s 123451 {ESC} \u202eKlassifier =HYPERLINK("http://evil.example") `x`\n\n'
    "## Project description\n\n### Overall goal of the project\n\n"
    "We classify <script>alert('readme-summary')</script> photos "
    "&lt;img src=x onerror=alert(3)&gt; for member 123452 ([x](javascript:alert(1))). "
    "=cmd|' /C calc'!A0 is no formula here.\n"
)
"""A repository README that attacks the title and summary the import reads."""
EVIDENCE = (
    "We used DVC <img src=x onerror=alert(1)> s224176 and Docker, as 1 < 2 "
    "<svg onload=alert('evidence')//"
)
"""A sentence the detector takes as evidence of DVC and Docker: the tag in it is dropped
with the sentence's markup, the unclosed one and the student number are not."""
LINKED_REPOSITORY = "https://github.com/example-org/project"
LINKED_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def bomb_png(path: Path, side: int = 30_000) -> Path:
    """A valid 1-bit PNG of side² pixels, a few hundred kB on disk."""
    packer = zlib.compressobj(9)
    row = b"\0" * (1 + (side + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def make_hostile_archive(root: Path) -> Path:
    """Write the hostile ``reports/`` tree (and a secret beside it); return ``reports/``."""
    reports = root / "reports"
    semester = reports / SEMESTER
    secret = root / "outside" / "passwd"
    secret.parent.mkdir(parents=True)
    secret.write_text(f"root:x:0:0 {SECRET}\n### Question 1\n{SECRET}\n", encoding="utf-8")
    (root / "outside" / "secret.png").write_bytes(PNG)

    # 1, 3: a semester title with HTML and a student number; a second semester's bad order.
    (semester).mkdir(parents=True)
    (semester / "semester.yml").write_text(
        yaml.safe_dump({"title": f"January 2026 {XSS} s123458"}), encoding="utf-8"
    )
    (reports / "2025-january").mkdir()
    (reports / "2025-january" / "semester.yml").write_text("order: 2026-02-30\n")

    # 2, 4, 5, 6, 9: a report of the 2026 template with every kind of hostile answer.
    svgs = sorted((FIXTURES / "svg").glob("*.svg"))
    figures = "\n".join(f"![{p.stem}](figures/{p.name})" for p in svgs)
    group = semester / "group-7"
    write(
        group,
        filled(
            T2026,
            q2=NUMBERS,
            q4=EVIDENCE,
            q5=f"Structure {XSS} <script>alert(1)</script> [x](javascript:alert(1))",
            q6=SLOW_LINE,
            q7="![" * 20_000,
            q8="[x](" + "(" * 20_000,
            q14=f'{figures}\n\n![named](figures/s123455.png) <ol start="123450"><li>x</li></ol>'
            f'<table><tr><td colspan="123451">c</td></tr></table>'
            f'<time datetime="s123452">t</time>',
            q25='=HYPERLINK("http://evil.example","click") +1 -2 @SUM(1) '
            f"![f](figures/=cmd.png) {ESC}",
            q31=f"Work by {NUMBERS}. See [repo](https://github.com/s123457/x).",
        ),
    )
    # 1, 6: a checklist note (searched) with HTML and student numbers.
    readme = group / "README.md"
    item = "* [ ] Create a git repository (M5)"
    text = readme.read_text(encoding="utf-8")
    assert item in text
    readme.write_text(text.replace(item, f"* [x] Create a git repository (M5) {XSS} by {FORMS}"))
    for svg in svgs:
        write(group / "figures", svg.read_bytes(), svg.name)
    write(group / "figures", PNG, "s123455.png")
    write(group / "figures", PNG, "=cmd.png")
    write(group / "figures", PNG, f"{ESC}.png")
    bomb_png(group / "figures" / "bomb.png")
    with (group / "README.md").open("a", encoding="utf-8") as f:
        f.write(f"\n![bomb](figures/bomb.png) ![esc](figures/{ESC}.png)\n")
    (group / "group.yml").write_text(
        "repository: https://github.com/s123457/project\n"
        f'title: "{XSS.replace(chr(34), "")} s 123450"\n'
        "imported: 2026-13-01\n"
        + yaml.safe_dump({"summary": f"<script>alert('summary')</script> {NUMBERS} {ESC}"})
        + yaml.safe_dump(  # a file name from the repository, with a digest that is not one
            {"prepared_figures": {"encoding": "webp", "files": {f"figures/{XSS}.png": "=1+1"}}}
        ),
        encoding="utf-8",
    )

    # 1, 4, 9: a report that follows no known template; its headings are the titles.
    write(
        semester / UNKNOWN,
        f"# Our report\n\n### Question 1 {XSS}\n\nWe used DVC.\n\n"
        f'### Question 2 =HYPERLINK("http://evil.example")\n\nDocker {ESC} too.\n\n'
        f"### Question 3 \x1b[2J {FORMS}\n\nNothing.\n",
    )
    (semester / UNKNOWN / "group.yml").write_text(
        yaml.safe_dump({"readme_title": f"{XSS} s123453", "readme_summary": f"{ESC} {XSS}"}),
        encoding="utf-8",
    )

    # 10: a README's title and summary, through the import.
    _import_hostile_readme(root / "repository", reports)

    # 7: links out of the archive.
    (semester / "group-11").mkdir()
    (semester / "group-11" / "README.md").symlink_to(secret)
    (semester / "group-12").mkdir()
    os.link(secret, semester / "group-12" / "README.md")
    (semester / "group-13").symlink_to(secret.parent, target_is_directory=True)
    linked = semester / "group-14"
    write(linked, "### Question 1\n\n14\n\n![leak](figures/leak.png)\n")
    (linked / "figures").mkdir()
    os.link(root / "outside" / "secret.png", linked / "figures" / "leak.png")
    (linked / "group.yml").symlink_to(secret)

    # 10: figures of a group whose repository and commit are known (linked in link mode).
    linking = semester / "group-16"
    write(
        linking,
        filled(
            T2026,
            q14=f'![{XSS} s123456](<figures/q"uote & more.png>) ![named](figures/s123456.png)\n\n'
            f'[![inside a link](<figures/q"uote & more.png>)](https://example.org/)',
        ),
    )
    write(linking / "figures", PNG, 'q"uote & more.png')
    write(linking / "figures", PNG, "s123456.png")
    (linking / "group.yml").write_text(
        yaml.safe_dump({"repository": LINKED_REPOSITORY, "commit": LINKED_COMMIT})
    )

    # 8: a report over the limit.
    write(semester / "group-15", "### Question 1\n\n" + "lorem ipsum " * 100_000)
    return reports


def _import_hostile_readme(repository: Path, reports: Path) -> None:
    """Commit `README` and a report to a new repository and import it as group `IMPORTED`."""
    write(repository, README)
    write(repository / "reports", filled(T2026, q1=str(IMPORTED), q2=", ".join(MEMBERS[:3])))
    identity = ["-c", "user.name=Hostile", "-c", "user.email=hostile@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*identity, "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)
    entry = RosterEntry(IMPORTED, tuple(MEMBERS[:3]), str(repository), None, None, 2)
    result = import_group(entry, ImportOptions(semester=SEMESTER, reports_dir=reports))
    assert result.status == "new", result.note
