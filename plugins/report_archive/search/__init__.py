"""The site's search.

What reaches Pagefind (`records`), which text is indexed (`answers`), and the Pagefind
process (`pagefind`).
"""
