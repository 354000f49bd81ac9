"""Telegram runtimes: aiogram (primary) and python-telegram-bot, thin adapters around the core."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.runtime.translate import ConversationCore


async def run_runtime(settings: Settings, core: ConversationCore) -> None:
    """Run the runtime named by settings.bot_framework until cancelled."""
    if settings.bot_framework == "ptb":
        from bot.runtime.ptb_app import run_ptb  # only the framework in use

        await run_ptb(settings, core)
        return
    from bot.runtime.aiogram_app import run_aiogram

    await run_aiogram(settings, core)
