"""The reading core: reports, their metadata and the archive, read without MkDocs or Jinja.

Everything here is plain Python, tested without a site, and used by the site (`site`), the
search index (`search`), the staff's import (`staff`) and the command line (`cli`). It never
imports any of them.
"""
