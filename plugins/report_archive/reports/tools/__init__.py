"""Which tools and practices a group used, with the sentences that show it.

The tool catalogue (``data/tools.yml``, reviewed by hand) lists tools and practices with the
spellings students use. `detect_tools` reads a parsed report's own text (its answers and
the text outside the questions; never the template's prompts, never the checklist) sentence
by sentence, finds the mentions of catalogue entries, and decides for each whether it is a
use or only a mention:

- negated ("we did not use DVC", "DVC was not implemented"),
- hypothetical or future ("we could have used Prometheus", "a future improvement would be
  Evidently", "if we had more time"),
- the road not taken ("instead of Cloud Build we used GitHub Actions"),
- tried and dropped ("we tried ONNX but dependency problems ...").

Anything else a group writes about a tool in its own report counts as use: a report
describes the group's project. The cues are read within the clause that holds the mention,
so "We did not use Cloud Build; GitHub Actions builds our images" negates only Cloud Build.
Entries can imply others (Locust → load testing), and composite entries (DVC with a GCS
remote) need their parts used together in one answer.

Plain Python: no MkDocs, no Jinja. `catalogue` reads the catalogue, `sentences` splits the
students' text, `cues` judges a mention, `detect` puts it together.
"""

from report_archive.reports.tools.catalogue import (
    Tool,
    ToolCatalogue,
    ToolCatalogueError,
    ToolCategory,
    load_tool_catalogue,
    parse_tool_catalogue,
)
from report_archive.reports.tools.detect import (
    EXTRA,
    Evidence,
    Mention,
    ToolReport,
    ToolUse,
    detect_tools,
)
from report_archive.reports.tools.sentences import sentences

__all__ = [
    "EXTRA",
    "Evidence",
    "Mention",
    "Tool",
    "ToolCatalogue",
    "ToolCatalogueError",
    "ToolCategory",
    "ToolReport",
    "ToolUse",
    "detect_tools",
    "load_tool_catalogue",
    "parse_tool_catalogue",
    "sentences",
]
