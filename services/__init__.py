"""The framework-free domain: drafts, submission, lifecycle, matching, importing."""
