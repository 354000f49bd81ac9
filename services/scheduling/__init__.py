"""Scheduled work: one job list, APScheduler in the bot process, one run per deployment."""
