from datetime import time

import pytest

from bot.config import ConfigError, load_settings


def test_settings_defaults(settings_env):
    settings = load_settings()
    assert settings.database_url == "sqlite:///arrears.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.socket_mode is False


def test_settings_parse_digest_channels(settings_env):
    settings_env.setenv("ARREARS_DIGEST_CHANNELS", "C0AAA111:zh-CN, C0BBB222")
    settings = load_settings()
    assert [(c.channel_id, c.locale) for c in settings.digest_channels] == [("C0AAA111", "zh_CN"), ("C0BBB222", None)]


def test_settings_parse_local_times(settings_env):
    settings_env.setenv("ARREARS_DIGEST_TIME", "8:05")
    assert load_settings().digest_time == time(8, 5)


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("ARREARS_TIMEZONE", "Mars/Olympus", "ARREARS_TIMEZONE"),
    ("ARREARS_DEFAULT_LOCALE", "fr", "ARREARS_DEFAULT_LOCALE"),
    ("ARREARS_DEFAULT_CURRENCY", "yuan", "ARREARS_DEFAULT_CURRENCY"),
    ("ARREARS_DIGEST_TIME", "25:00", "ARREARS_DIGEST_TIME"),
    ("ARREARS_DIGEST_CHANNELS", "general", "ARREARS_DIGEST_CHANNELS"),
    ("ARREARS_FINANCE", "alice", "ARREARS_FINANCE"),
    ("PORT", "http", "PORT"),
    ("DATABASE_URL", "mysql+nodriver://x", "DATABASE_URL"),
])
def test_settings_error_names_variable(settings_env, variable, value, expected):
    settings_env.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert expected in str(raised.value)
    assert value in str(raised.value) or variable == "PORT"


def test_settings_require_slack_names_missing(settings_env):
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET"):
        load_settings().require_slack()


def test_settings_read_dotenv(settings_env, tmp_path):
    (tmp_path / ".env").write_text("ARREARS_TIMEZONE=Asia/Shanghai\n")
    assert load_settings().timezone == "Asia/Shanghai"


def test_settings_reject_unknown_database(settings_env):
    settings_env.setenv("DATABASE_URL", "foo://bar")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings()
