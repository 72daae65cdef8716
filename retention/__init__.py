"""Chapter 4 of the regulation: keeping, lending and destroying (issues 6 and 7)."""
