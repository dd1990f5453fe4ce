"""What Pagefind's memory grows with: the number of records, their text, their words.

Usage: python benchmarks/bench_pagefind.py [--corpus ../shared/corpus/reports]
       [--records 250 500 1000] [--shard-groups 0] [--out benchmarks/results/pagefind.json]

The corpus is laid out as the site would be (`report_archive.site.plan.SitePlan`), its
search records made (`report_archive.search.answers.answer_records`: one per group page,
one section per answer), and repeated to each number of records under new URLs. Each set is
indexed by the same ``pagefind`` service the plugin drives (`IndexWriter`), in a fresh
process whose peak memory is read once it exits (a small wrapper named by
``PAGEFIND_BINARY_PATH``); its resident memory is also read once every record is indexed,
before the bundle is written. Variants keep the number of records and change the text:

- ``half``: each answer cut to half its characters;
- ``ten words``: as many words, but only ten distinct ones (the same vocabulary everywhere);
- ``one section``: every answer in one section (no sub-results).

With ``--shard-groups N`` each set is split as the plugin splits it (``search.shard_groups``,
`report_archive.search.shards.split`) into indexes of at most N records, written one after
another, each by its own process: ``peak_mb`` is then the largest process's peak (they never
run together), ``peak_mb_per_index`` each one's.

Results go to `--out` with the machine description.
"""

from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import machine, write_results  # noqa: E402

from report_archive.reports.archive import load_archive  # noqa: E402
from report_archive.reports.catalogue import load_catalogue  # noqa: E402
from report_archive.search.answers import answer_records  # noqa: E402
from report_archive.search.pagefind import IndexWriter  # noqa: E402
from report_archive.search.records import SearchRecord  # noqa: E402
from report_archive.search.shards import split  # noqa: E402
from report_archive.site.plan import Options, SitePlan  # noqa: E402

WRAPPER = """#!{python}
import resource, subprocess, sys
code = subprocess.call([{binary!r}, *sys.argv[1:]])
with open({peak!r}, "a") as f:
    f.write(f"{{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}\\n")
sys.exit(code)
"""

TEN_WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa "


def _half(record: SearchRecord) -> SearchRecord:
    sections = tuple(
        dataclasses.replace(s, content=s.content[: len(s.content) // 2]) for s in record.sections
    )
    return dataclasses.replace(record, sections=sections)


def _ten_words(record: SearchRecord) -> SearchRecord:
    sections = tuple(
        dataclasses.replace(s, content=TEN_WORDS * max(1, len(s.content.split()) // 10))
        for s in record.sections
    )
    return dataclasses.replace(record, sections=sections)


def _one_section(record: SearchRecord) -> SearchRecord:
    text = " ".join(s.content for s in record.sections)
    first = dataclasses.replace(record.sections[0], content=text)
    return dataclasses.replace(record, sections=(first,))


VARIANTS: dict[str, Callable[[SearchRecord], SearchRecord]] = {
    "as built": lambda r: r,
    "half": _half,
    "ten words": _ten_words,
    "one section": _one_section,
}


def _resident(binary: str) -> int | None:
    """The resident memory, in KB, of the running pagefind process (Linux)."""
    for status in glob.glob("/proc/[0-9]*/status"):
        folder = os.path.dirname(status)
        try:
            with open(f"{folder}/cmdline", "rb") as f:
                if not f.read().startswith(binary.encode()):
                    continue
            with open(status) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            continue
    return None


def index(
    records: list[SearchRecord], work: Path, binary: str, shard_groups: int = 0
) -> dict[str, Any]:
    """Index records in fresh pagefind processes, one per index (one index unless
    `shard_groups`), one after another; their memory after indexing and at peak."""
    peak = work / "peak.txt"
    peak.unlink(missing_ok=True)
    start = time.perf_counter()
    shards = split(records, shard_groups)
    indexed: list[int] = []
    written = 0
    for n, shard in enumerate(shards, 1):
        writer = IndexWriter()
        writer.add(shard)
        writer._wait()  # every record indexed, nothing written yet
        indexed.append(_resident(binary) or 0)
        written += writer.write(work / f"bundle-{n}").bytes
    peaks = [round(int(kb) / 1024, 1) for kb in peak.read_text().split()]  # one per process
    row: dict[str, Any] = {
        "records": len(records),
        "html_bytes": sum(len(r.html()) for r in records),
        "resident_after_indexing_mb": round(max(indexed) / 1024, 1) if any(indexed) else None,
        "peak_mb": max(peaks),
        "bundle_bytes": written,
        "seconds": round(time.perf_counter() - start, 1),
    }
    if len(shards) > 1:
        row["indexes"] = len(shards)
        row["peak_mb_per_index"] = peaks
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--records", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument(
        "--shard-groups",
        type=int,
        default=0,
        help="split each set into indexes of at most this many records (default 0: one index)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/pagefind.json")
    args = parser.parse_args()
    from pagefind.service import get_executable

    binary = str(get_executable())
    plan = SitePlan(load_archive(args.corpus, jobs=1), load_catalogue(), Options(jobs=1))
    base = answer_records(plan, lambda uri: uri.removesuffix("index.md"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wrapper = work / "pagefind-peak.py"
        peak = work / "peak.txt"
        wrapper.write_text(WRAPPER.format(python=sys.executable, binary=binary, peak=str(peak)))
        wrapper.chmod(0o755)
        os.environ["PAGEFIND_BINARY_PATH"] = str(wrapper)
        largest = max(args.records)
        runs = [("as built", n) for n in args.records]
        runs += [(name, largest) for name in VARIANTS if name != "as built"]
        for name, n in runs:
            vary = VARIANTS[name]
            records = [
                dataclasses.replace(vary(base[i % len(base)]), url=f"/copy-{i}/") for i in range(n)
            ]
            row = {"variant": name, **index(records, work, binary, args.shard_groups)}
            print(json.dumps(row), flush=True)
            rows.append(row)
    results = {
        "benchmark": "pagefind",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": {
            "corpus": str(args.corpus),
            "reports": len(base),
            "shard_groups": args.shard_groups,
        },
        "runs": rows,
    }
    write_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
