"""Importing the groups' reports from their git repositories (``report-archive import``).

Repositories are treated as hostile: nothing from them is ever run (`git`), files are read
from git's object store and written only inside the group's folder (`extract`), and a group's
folder is replaced at once (`install`). `run` decides what to do for each group.
"""

from report_archive.staff.importer.run import (
    DEFAULT_JOBS,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_MAX_GROUP_SIZE,
    DEFAULT_TIMEOUT,
    GroupResult,
    GroupStatus,
    ImportOptions,
    group_path,
    groups_not_in_roster,
    import_group,
    import_roster,
)
from report_archive.staff.importer.summary import format_summary, result_rows

__all__ = [
    "DEFAULT_JOBS",
    "DEFAULT_MAX_FILE_SIZE",
    "DEFAULT_MAX_GROUP_SIZE",
    "DEFAULT_TIMEOUT",
    "GroupResult",
    "GroupStatus",
    "ImportOptions",
    "format_summary",
    "group_path",
    "groups_not_in_roster",
    "import_group",
    "import_roster",
    "result_rows",
]
