"""Matching proposals to RPJMD programs, and fuzzy place and proposal look-ups."""
