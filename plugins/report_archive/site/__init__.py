"""The archive as pages: which pages exist, what each shows, and student text made safe HTML.

Plain Python over the reading core (`report_archive.reports`); the MkDocs plugin wires it in.
"""
