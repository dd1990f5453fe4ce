"""Mutated real reports: hostile HTML and markdown, broken bytes, huge and deep text.

The seeds are the sample reports in ``reports/`` and, when present, the real reports in
``../shared/corpus/reports``. Each generated report is a seed with one to four mutations
(`MUTATIONS`), drawn from a `random.Random` seeded with the run's seed, so a run is the same
every time for the same seeds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "reports"
CORPUS = ROOT.parent / "shared" / "corpus" / "reports"

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="figures/missing.png" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;vascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body { display: none }</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0">covered</p>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="data:text/html,<script>alert(1)</script>">',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><style><img src=x onerror=alert(1)></style></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<img src="x" alt="x" onerror="alert(1)"',
    '<a href="x" title="a" onclick="alert(1)',
    "<img src='x' alt='\"><script>alert(1)</script>'>",
    '<img """><script>alert(1)</script>">',
    "<div <div onmouseover=alert(1)>x</div>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<a href="https://example.com" target="_blank" rel="opener">x</a>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<video><source onerror=alert(1)></video>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<template><script>alert(1)</script></template>",
    "<textarea></textarea><script>alert(1)</script>",
    "<title></title><script>alert(1)</script>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><script>alert(1)",
    "<input autofocus onfocus=alert(1)>",
    "<body onload=alert(1)>",
    '<a id="x" class="ra-figure" href="https://example.com">x</a>',
    '<span class="ra-figure-missing evil">x</span>',
    '<img class="ra-figure-img" src="https://evil.example/x.png">',
    '<a href="ra-root-0123456789abcdef/x">x</a>',
    '<h2 id="data-version-control">A fake heading</h2>',
    "<a href='javascript:alert(1)'>x</a><a href=java\nscript:alert(1)>y</a>",
    "[x]: javascript:alert(1)\n\n[x] and [y][x]",
    "<javascript:alert(1)>",
    "www.example.com/<script>alert(1)</script>",
    "![a](https://evil.example/track.png)",
    "[![a](figures/missing.png)](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '<a href="https://example.com/s224176">profile</a>',
    "</div></p></td></table></blockquote></li></ul><script>alert(1)</script>",
]
"""Raw HTML and markdown that tries to run script or escape the sanitiser."""

_HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "' onmouseover='alert(1)",
    "{{ 7 * 7 }} {% raw %}",
    "s224176 and S225599",
    "\u202eevil\u202c",
    "&amp;&lt;&#0;",
    "`code` **bold** _em_",
]

_STUDENT_FORMS = [
    "s224176",
    "S224176",
    "s 224176",
    "s-224176",
    "224176",
    "s2241766",
    "(s224176)",
    "s224176@student.dtu.dk",
    "[s224176](https://github.com/s224176)",
    "![s224176](figures/s224176.png)",
    '<img alt="s224176" src="x.png">',
    "`s224176`",
    "ｓ２２４１７６",
    "s22\u200b4176",
    "Student s224176, student  S224176",
]

_CONTROL = [chr(c) for c in (*range(32), 0x7F)] + [
    "\x85",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "\udcff",
]

_HUGE_UNITS = [
    "<a ",
    "<img src=",
    "![",
    "[",
    "](",
    "[x](",
    "(",
    "*",
    "_",
    "*_",
    "-",
    ">",
    "#",
    "|",
    "`",
    "&#",
    "<",
    "<div>",
    "<b>",
    "[](",
    "<http:",
    "s224176 ",
    "word ",
    " ",
    "\t",
]

_NESTING = [
    lambda d: ">" * d + " deep",
    lambda d: "- " * d + "deep",
    lambda d: "1. " * d + "deep",
    lambda d: "\n".join("  " * i + "- item" for i in range(min(d, 200))),  # d² bytes
    lambda d: "\n".join("> " * i + "quoted" for i in range(min(d, 200))),
    lambda d: "*_" * d + "deep" + "_*" * d,
    lambda d: "**" * d + "deep" + "**" * d,
    lambda d: "[" * d + "deep" + "]" * d + "(x)",
    lambda d: "<div>" * d + "deep" + "</div>" * d,
    lambda d: "<b><div></b>" * d,
    lambda d: "".join(f'<b title="{i}">' for i in range(d)) + "deep",
    lambda d: "<ul><li>" * d + "deep",
    lambda d: "<table><tr><td>" * d + "deep",
    lambda d: "> - " * d + "deep",
]


@dataclass(frozen=True)
class Case:
    """A generated report.

    Attributes:
        number: Its index in the run.
        source: The seed report's path (figures are resolved beside it).
        data: The mutated report's bytes.
        mutations: The mutations applied, in order.
    """

    number: int
    source: Path
    data: bytes
    mutations: tuple[str, ...]


def seed_reports(corpus: bool = True) -> list[Path]:
    """Return the seeds: the sample reports, then the corpus's when present and wanted."""
    seeds = sorted(SAMPLES.glob("*/*/README.md"))
    if corpus and CORPUS.is_dir():
        seeds += sorted(CORPUS.glob("*/*/README.md"))
    return seeds


def cases(count: int, seed: int = 0, seeds: list[Path] | None = None) -> Iterator[Case]:
    """Generate `count` mutated reports, the same ones for the same seed and seeds.

    Args:
        count: How many reports.
        seed: Seeds the random generator.
        seeds: The reports to mutate (default: `seed_reports`).
    """
    rng = random.Random(seed)
    paths = seed_reports() if seeds is None else seeds
    originals = {p: p.read_bytes() for p in paths}
    for number in range(count):
        path = rng.choice(paths)
        data = originals[path]
        names: list[str] = []
        wanted = rng.choice((1, 1, 2, 2, 3, 4))
        while len(names) < wanted:
            name, mutate = rng.choice(MUTATIONS)
            if name in _ONCE and name in names:
                continue
            data = mutate(rng, data)
            names.append(name)
        yield Case(number, path, data, tuple(names))


# -- mutations: (rng, bytes) -> bytes ---------------------------------------------------


def _on_lines(edit: Callable[[random.Random, list[str]], None]) -> Callable[..., bytes]:
    """Make a byte mutation from an edit of the report's lines (bytes kept as they are)."""

    def mutate(rng: random.Random, data: bytes) -> bytes:
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        edit(rng, lines)
        return "\n".join(lines).encode("utf-8", "surrogateescape")

    return mutate


def _where(rng: random.Random, lines: list[str]) -> int:
    """A line to insert at: most often inside an answer, just after a question heading."""
    headings = [i for i, line in enumerate(lines) if line.lstrip().startswith("### Question")]
    if headings and rng.random() < 0.6:
        return min(len(lines), rng.choice(headings) + rng.randint(1, 6))
    return rng.randint(0, len(lines))


def _insert(rng: random.Random, lines: list[str], text: str) -> None:
    at = _where(rng, lines)
    if rng.random() < 0.5 and at < len(lines):
        line = lines[at]
        cut = rng.randint(0, len(line))
        lines[at] = line[:cut] + text + line[cut:]  # inside a line of the answer
    else:
        lines[at:at] = text.split("\n")


def _xss(rng: random.Random, lines: list[str]) -> None:
    vector = rng.choice(XSS)
    if rng.random() < 0.3:  # inside a list, a quote, a table cell or emphasis
        vector = rng.choice(["- ", "> ", "| a | ", "**", "1. "]) + vector
    _insert(rng, lines, vector)


def _control(rng: random.Random, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 30)):
        _insert(rng, lines, "".join(rng.choice(_CONTROL) for _ in range(rng.randint(1, 3))))


def _huge_line(rng: random.Random, lines: list[str]) -> None:
    unit = rng.choice(_HUGE_UNITS)
    size = rng.choice((1_000, 5_000, 10_000, 15_000))
    line = unit * (size // len(unit))
    if rng.random() < 0.3:
        line = rng.choice(["- ", "> ", "# ", "### Question 3 ", "| "]) + line
    if rng.random() < 0.3:
        line += rng.choice([" question fill here", "](x)", ">", ")", "]", " ---"])
    _insert(rng, lines, line)


def _deep(rng: random.Random, lines: list[str]) -> None:
    depth = rng.choice((10, 100, 1_000, 3_000))
    _insert(rng, lines, rng.choice(_NESTING)(depth))


def _heading(rng: random.Random, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 5)):
        number = rng.choice([0, 1, 2, 3, 7, 13, 24, 31, 32, 99, 999, 1000, 12345])
        marks = rng.choice(["###", "#", "##", "######", "#######", "### **", "   ###"])
        rest = rng.choice(["", " ", " - ", ": ", " **"]) + rng.choice(_HOSTILE_TEXT)
        heading = rng.choice([f"{marks} Question {number}{rest}", f"{marks} {rest}"])
        if rng.random() < 0.5:
            heading += "\n\n> **" + rng.choice(_HOSTILE_TEXT) + "**\n>\n> Answer:\n\n"
        _insert(rng, lines, "\n" + heading + "\n")


def _duplicate(rng: random.Random, lines: list[str]) -> None:
    if not lines:
        return
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 80)]
    at = rng.randint(0, len(lines))
    lines[at:at] = block * rng.randint(1, 3)


def _delete(rng: random.Random, lines: list[str]) -> None:
    if len(lines) > 1:
        start = rng.randrange(len(lines))
        del lines[start : start + rng.randint(1, 40)]


def _student(rng: random.Random, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 8)):
        _insert(rng, lines, rng.choice(_STUDENT_FORMS))


def _fences(rng: random.Random, lines: list[str]) -> None:
    for _ in range(rng.randint(1, 20)):
        fence = rng.choice(["```", "```python", "~~~", "````", "``` `x`", "    ```"])
        _insert(rng, lines, fence)


def _table(rng: random.Random, lines: list[str]) -> None:
    cells = " | ".join(rng.choice([*XSS[:10], "x", "", "`|`", "\\|"]) for _ in range(4))
    _insert(rng, lines, f"| a | b | c | d |\n|---|:-:|--:|---|\n| {cells} |\n{cells}")


def _random_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    return data[:at] + noise + data[at + rng.randint(0, 50) :]


def _bad_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(5)
    if choice == 0:  # saved as Windows-1252
        return text.encode("cp1252", "replace")
    if choice == 1:  # mojibake: UTF-8 read as Windows-1252 and saved again
        return text.encode("utf-8").decode("cp1252", "replace").encode("utf-8")
    if choice == 2:  # UTF-16 with a byte order mark, as Windows PowerShell's ">" writes
        return (
            text.encode("utf-16") if rng.random() < 0.5 else b"\xfe\xff" + text.encode("utf-16-be")
        )
    if choice == 3:  # broken sequences here and there
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randint(0, len(out)) : 0] = rng.choice(
                [b"\xc3", b"\xe2\x80", b"\x80", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80"]
            )
        return bytes(out)
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b""]) + data.replace(
        b"\n", rng.choice([b"\r\n", b"\r", b"\n\r"])
    )


_ONCE = frozenset({"huge-line", "deep"})
"""Mutations applied at most once to a report, so that every report stays within a few
times the size of a real one (time is compared between reports; `tests/test_linear.py`
times 60 KB lines)."""

MUTATIONS: list[tuple[str, Callable[[random.Random, bytes], bytes]]] = [
    ("xss", _on_lines(_xss)),
    ("xss", _on_lines(_xss)),
    ("xss", _on_lines(_xss)),
    ("control", _on_lines(_control)),
    ("huge-line", _on_lines(_huge_line)),
    ("deep", _on_lines(_deep)),
    ("heading", _on_lines(_heading)),
    ("duplicate", _on_lines(_duplicate)),
    ("delete", _on_lines(_delete)),
    ("student", _on_lines(_student)),
    ("fences", _on_lines(_fences)),
    ("table", _on_lines(_table)),
    ("random-bytes", _random_bytes),
    ("encoding", _bad_encoding),
]
"""Every mutation, by name; the XSS vectors are drawn more often than the others."""
