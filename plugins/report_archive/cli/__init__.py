"""The ``report-archive`` command line: ``parse``, ``check`` and ``import``."""

from report_archive.cli.main import main

__all__ = ["main"]
