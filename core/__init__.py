"""The contract every layer may use: events and replies, settings, i18n and formatting."""
