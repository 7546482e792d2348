from click.testing import CliRunner

from bot.cli import main
from bot.policy import default_policy_text


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_show_default_prints_policy_file(settings_env):
    result = _run("policy", "show-default")

    assert result.exit_code == 0
    assert result.output == default_policy_text()


def test_check_prints_schedule(settings_env, tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text(), encoding="utf-8")

    result = _run("policy", "check", str(path), "--as-of", "2025-09-20")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{path} is a valid reminder policy."
    assert "  2. Finance follow-up (finance): 7 days past due, firm tone" in lines
    assert "  normal (default): every 7 days" in lines
    assert "Calendar: public holidays of CN, weekend Sat, Sun" in lines
    assert "  2025-10-01 Wed  National Day" in lines
    assert "  2025-09-28 Sun" in lines


def test_check_lists_ten_closures(settings_env, tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text(), encoding="utf-8")

    result = _run("policy", "check", str(path), "--as-of", "2025-09-20")

    lines = result.output.splitlines()
    start = lines.index("Next 10 non-working days from Sep 20, 2025:")
    end = lines.index("Make-up working days in the next 366 days:")
    assert end - start - 1 == 10


def test_check_uses_holiday_names_in_locale(settings_env, tmp_path):
    settings_env.setenv("ARREARS_DEFAULT_LOCALE", "zh_CN")
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text(), encoding="utf-8")

    result = _run("policy", "check", str(path), "--as-of", "2025-09-20")

    assert result.exit_code == 0, result.output
    assert "国庆节" in result.output


def test_check_reports_invalid_file(settings_env, tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text().replace('tone = "firm"', 'tone = "stern"'), encoding="utf-8")

    result = _run("policy", "check", str(path))

    assert result.exit_code == 1
    assert f'{path}: levels[2].tone = "stern": must be one of' in result.output


def test_check_reports_missing_file(settings_env, tmp_path):
    path = tmp_path / "absent.toml"

    result = _run("policy", "check", str(path))

    assert result.exit_code == 1
    assert f"{path}: file not found" in result.output
