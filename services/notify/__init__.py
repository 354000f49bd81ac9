"""The path out: outbox rows, rendering at send time, and the sender within Telegram's limits."""
