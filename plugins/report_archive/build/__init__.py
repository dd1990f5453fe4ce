"""What the plugin does at each step of an MkDocs build, as plain functions over MkDocs' objects.

The hooks in `report_archive.plugin` call these: `archive` loads the reports and logs their
problems, `figures` decides and converts the published figures, `files` adds the generated
pages, figures and assets and sets the navigation, `pages` puts each page's body in place,
`search` writes the Pagefind index while MkDocs writes the pages. Nothing below the plugin
imports this package.
"""
