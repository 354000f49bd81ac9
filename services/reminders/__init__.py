"""Reminders ahead of Musrenbang deadlines and forums, planned as outbox messages."""
