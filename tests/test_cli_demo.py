from click.testing import CliRunner

from bot.cli import main


def test_demo_prints_digest_and_cards(settings_env, tmp_path):
    result = CliRunner().invoke(main, ["demo", "--database", str(tmp_path / "demo.db")])

    assert result.exit_code == 0, result.output
    assert "Receivables digest" in result.output
    assert "Acme Outdoor Supply" in result.output
    assert "北京某某科技有限公司" in result.output
    assert "[Log contact]" in result.output
    assert "nothing was sent" in result.output


def test_demo_in_chinese(settings_env, tmp_path):
    result = CliRunner().invoke(main, ["demo", "--locale", "zh_CN", "--database", str(tmp_path / "demo.db")])

    assert result.exit_code == 0, result.output
    assert "¥128,000.00" in result.output


def test_demo_twice_starts_afresh(settings_env, tmp_path):
    database = str(tmp_path / "demo.db")
    CliRunner().invoke(main, ["demo", "--database", database])
    result = CliRunner().invoke(main, ["demo", "--database", database])

    assert result.exit_code == 0, result.output
    assert "invoices: 16 created" in result.output
