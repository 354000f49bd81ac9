"""Following proposals: a person's own list and the status of a code."""
