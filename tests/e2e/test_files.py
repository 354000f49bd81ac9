"""Each runtime lends the core the downloads of files people send."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.runtime import aiogram_app, ptb_app
from core.config import load_settings
from core.events import FileUnavailableError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from core.events import FileSource
    from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e


@pytest.fixture(name="files", params=["aiogram", "ptb"])
async def files_fixture(
    request: pytest.FixtureRequest, fake_api: FakeBotApi
) -> AsyncIterator[FileSource]:
    settings = load_settings(
        telegram_bot_token=fake_api.token, telegram_api_base=fake_api.base_url
    )
    if request.param == "aiogram":
        bot = aiogram_app.create_bot(settings)
        yield aiogram_app.AiogramFiles(bot)
        await bot.session.close()
        return
    application = ptb_app.build_application(settings)
    async with application:
        yield ptb_app.PtbFiles(application.bot)


async def test_a_sent_document_is_downloaded(files: FileSource, fake_api: FakeBotApi) -> None:
    update = fake_api.push_document(4242, b"kode lacak,status\n", "status.csv")
    file_id = update["message"]["document"]["file_id"]
    assert await files.download(file_id) == b"kode lacak,status\n"


async def test_an_unknown_file_is_unavailable(files: FileSource) -> None:
    with pytest.raises(FileUnavailableError):
        await files.download("no-such-file")
