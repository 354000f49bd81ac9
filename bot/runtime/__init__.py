"""Telegram runtimes: aiogram (primary) and python-telegram-bot, thin adapters around the core."""
