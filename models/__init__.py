"""Database tables and queries; imports nothing else of ours."""
