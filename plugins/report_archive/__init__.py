"""Report Archive: 02476 MLOps report templates read, checked and published with MkDocs.

Layers (see ``docs/architecture.md``): `reports` reads reports, without MkDocs; `site` plans
and renders the pages; `search` feeds Pagefind; `staff` imports semesters; `cli` is the
``report-archive`` command; `build` and `plugin` are the MkDocs glue.
"""

__version__ = "0.1.0"
