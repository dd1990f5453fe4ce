"""Report Archive: 02476 MLOps report templates read, checked and published with MkDocs.

The core (`catalogue`, `parser`, `model`, `links`, `check`) has no MkDocs dependency;
`plugin` is the thin MkDocs glue.
"""

__version__ = "0.1.0"
