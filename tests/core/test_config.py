"""Settings: defaults, lists from the environment, one clear line for each bad value."""

import pytest

from core.config import ConfigError, load_settings


def test_defaults_run_the_embedded_bot():
    settings = load_settings()
    assert settings.database_url == "sqlite:///musrenbang.db"
    assert settings.bot_framework == "aiogram"
    assert settings.tz == "Asia/Jakarta"
    assert settings.telegram_api_base == "https://api.telegram.org"


def test_admin_ids_are_read_as_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("BAPPEDA_ADMIN_IDS", "111, 222;333")
    assert load_settings().bappeda_admin_ids == [111, 222, 333]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BOT_FRAMEWORK", "django", "BOT_FRAMEWORK: Input should be 'aiogram' or 'ptb'"),
        ("TZ", "Mars/Olympus", "TZ: unknown time zone"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: must be a sqlite:/// or postgresql:// URL"),
        ("WEBHOOK_LISTEN", "8080", "WEBHOOK_LISTEN: must be host:port, e.g. 0.0.0.0:8080"),
        ("TELEGRAM_API_BASE", "api.telegram.org", "TELEGRAM_API_BASE: must start with http"),
        ("BAPPEDA_ADMIN_IDS", "12,abc", "BAPPEDA_ADMIN_IDS: Input should be a valid integer"),
        ("WEBHOOK_SECRET", "has space", "WEBHOOK_SECRET: must be 1-256 characters"),
    ],
)
def test_bad_value_names_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith(message)


def test_webhook_url_without_secret_is_refused(monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.go.id/telegram")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET must be set"):
        load_settings()


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("REGENCY_NAME=Kabupaten Rejang Lebong\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().regency_name == "Kabupaten Rejang Lebong"
