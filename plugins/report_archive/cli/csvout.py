"""CSV that a spreadsheet opens as data, never as formulas: every CSV the project writes.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (CSV injection). Such string cells get a
leading single quote, as OWASP recommends; the spreadsheet shows the text and keeps the
quote out of sight. A spreadsheet set to a locale whose list separator is ``;`` (Danish
Excel among them) also starts a cell after every ``;``, so the same rule applies after each
``;`` in a cell. Numbers the program computes are not strings and stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "safe_cell", "write_csv"]

FORMULA_STARTS = "=+-@\t\r"
"""The first characters that make a spreadsheet read a cell as a formula."""

_FORMULA = re.compile(f"(^|;)([{re.escape(FORMULA_STARTS)}])")


def safe_cell(value: Any) -> Any:
    """Return a cell's value as it can be written safely.

    Args:
        value: The cell: a string, a number, ``None`` (an empty cell) or a list of strings
            (joined with ``;``).

    Returns:
        Strings that a spreadsheet would take for a formula, with a ``'`` put before the
        formula's first character; every other value as it is.
    """
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str):
        return _FORMULA.sub(r"\1'\2", value)
    return value


def write_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    r"""Write rows as CSV, with a header of the first row's keys and every cell made safe.

    Args:
        rows: The rows, all with the same keys.

    Returns:
        The CSV text, lines ending in ``\n``, without a final line break; empty for no rows.
    """
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue().rstrip("\n")
