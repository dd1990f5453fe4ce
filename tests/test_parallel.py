"""Worker processes: maps that share them, and maps collected later (real processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from report_archive.reports.parallel import process_map, process_map_later, shared_workers

ROOT = Path(__file__).resolve().parents[1]


def _pid(_: int) -> int:
    time.sleep(0.02)  # long enough for both workers to take items (1.6 s of work in all)
    return os.getpid()


def _square(x: int) -> int:
    return x * x


def _fail(x: int) -> int:
    if x == 7:
        raise ValueError(f"item {x}")
    return x


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_maps_within_shared_workers_run_in_the_same_processes() -> None:
    with shared_workers():
        first = set(process_map(_pid, range(80), 2))
        second = set(process_map_later(_pid, range(80), 2)())
    assert os.getpid() not in first
    assert len(first) == 2
    assert second == first  # not started again
    assert not any(_alive(pid) for pid in first)  # stopped on leaving
    alone = set(process_map(_pid, range(80), 2))
    assert alone.isdisjoint(first)


def test_a_map_needing_fewer_workers_takes_those_started() -> None:
    with shared_workers():
        three = set(process_map(_pid, range(120), 3))
        two = set(process_map(_pid, range(80), 2))
        one = set(process_map(_pid, range(5), 1))
    assert len(three) == 3
    assert two <= three
    assert one == {os.getpid()}  # one worker: this process


def test_a_map_collected_later_gives_every_result_in_order() -> None:
    for jobs in (1, 2):
        later = process_map_later(_square, list(range(100)), jobs)
        assert later() == [x * x for x in range(100)]
    with shared_workers():
        a = process_map_later(_square, list(range(50)), 2)
        b = process_map_later(_square, list(range(50, 100)), 2)
        assert b() + a() == [x * x for x in range(50, 100)] + [x * x for x in range(50)]


@pytest.mark.parametrize("shared", [False, True])
def test_an_error_in_a_worker_is_raised_when_collected(shared: bool) -> None:
    def run() -> None:
        later = process_map_later(_fail, list(range(20)), 2)
        with pytest.raises(ValueError, match="item 7"):
            later()

    if shared:
        with shared_workers():
            run()
            assert process_map(_square, [3], 1) == [9]  # in this process
    else:
        run()


def test_results_come_one_by_one_in_order_from_the_workers() -> None:
    """`process_iter` yields each result in order while the workers go on, and raises a
    worker's error when its item is reached, after the results before it."""
    from report_archive.reports.parallel import process_iter

    with shared_workers():
        pids = list(process_iter(_pid, range(40), 2))
        assert os.getpid() not in pids
        results = process_iter(_fail, range(10), 2)
        assert [next(results) for _ in range(7)] == list(range(7))
        with pytest.raises(ValueError, match="item 7"):
            next(results)
    assert list(process_iter(_square, range(5), 1)) == [0, 1, 4, 9, 16]  # in this process


def test_reports_read_by_workers_come_back_pickled_for_the_cache(tmp_path: Path) -> None:
    """With `keep`, each report read in a worker is handed over with the pickle the worker
    made, which unpickles to the result returned; a report that cannot be read is
    `ReadFailed`, not kept; every result equals one read in this process."""
    import pickle

    from report_archive.reports.parser import parse_report
    from report_archive.reports.reading import Reader, ReadFailed, read_all

    sources = sorted((ROOT / "reports").glob("*/*/README.md"))[:3]
    assert len(sources) == 3
    missing = tmp_path / "missing" / "README.md"
    reader = Reader(parse_report, tools=True)
    kept: dict[Path, tuple[object, bytes]] = {}
    lookup = read_all(
        [*sources, missing], reader, 2, lambda p, r, data: kept.__setitem__(p, (r, data))
    )
    for source in sources:
        result = lookup(source)
        assert kept[source][0] is result
        assert pickle.loads(kept[source][1]) == result == reader(source)
    with pytest.raises(ReadFailed):
        lookup(missing)
    assert missing not in kept
