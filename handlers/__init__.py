"""The transport-free conversation: events in, replies out, state in the database."""
