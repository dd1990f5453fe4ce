"""Fuzzing the report pipeline with mutated real reports.

`generate` makes the reports (seeded, deterministic), `pipeline` runs each one through
parse → render → search record, as the site does, and checks the output is safe.
`tests/test_fuzz.py` runs a few hundred; ``make fuzz`` (``benchmarks/fuzz_reports.py``)
runs ten thousand and writes the figures.
"""
