"""CSV files modgen writes (item analysis, classroom results, the glossary as a term list), which
people open in a spreadsheet: cells are written so that none is taken as a formula.

A course comes from someone else, and an LMS export from learners: an option text ``=HYPERLINK(…)``
or ``@SUM(…)`` would be run by Excel or LibreOffice Calc when a trainer opens the file (CSV
injection). The OWASP rule: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'``, which spreadsheets show as text and do not evaluate. Numbers (``-0.12``,
a discrimination index) stay numbers.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`cell`: the one way modgen writes CSV."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, lineterminator="\n", **options)
        # csv quotes a field holding the line terminator ("\n") but not a lone carriage return,
        # which a spreadsheet (and csv's own reader) takes as a line break: such rows are quoted whole.
        self._quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [cell(value) for value in row]
        if any(isinstance(c, str) and "\r" in c for c in cells):
            self._quoted.writerow(cells)
        else:
            self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    return SafeWriter(stream, **options)
