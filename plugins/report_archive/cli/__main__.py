"""``python -m report_archive.cli``: the ``report-archive`` command."""

import sys

from report_archive.cli.main import main

sys.exit(main())
