"""The site's search: what is indexed (`records`, pure) and the Pagefind process (`pagefind`)."""
