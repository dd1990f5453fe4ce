"""Raster figures read, checked and made ready to publish, with Pillow.

`raster` reads a figure's header before anything is decoded (format, pixels) and decodes
no more than the size the figure is shown at; `encode` makes the WebP file the site
publishes. Used by the site when it publishes figures and by ``report-archive import``
when it stores them; no MkDocs, no Jinja.
"""
