"""What staff run to publish a semester: the roster and the import of the groups' reports."""
