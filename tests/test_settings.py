"""Settings from ETAX_* variables: bad values stop start-up with one line naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from etax.cli import main
from etax.platform.settings import SettingsError, load_settings


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"ETAX_VAR_DIR": str(tmp_path), **values}


def test_defaults_are_a_dev_sqlite_portal_with_a_kept_secret(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path))
    assert settings.mode == "dev"
    assert settings.database_url == f"sqlite:///{tmp_path / 'etax.sqlite3'}"
    assert settings.session_store == "file"
    assert len(settings.secret_key) >= 32
    assert load_settings(env(tmp_path)).secret_key == settings.secret_key  # generated once, then kept


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ETAX_MODE", "staging", "ETAX_MODE: expected 'dev' or 'production'"),
        ("ETAX_DATABASE_URL", "mysql://x", "ETAX_DATABASE_URL: expected sqlite:///path or postgresql://"),
        ("ETAX_SESSION_STORE", "memcached://x", "ETAX_SESSION_STORE: expected 'file' or a redis:// URL"),
        ("ETAX_PORT", "80a", "ETAX_PORT: expected a port number"),
        ("ETAX_STRICT_PLUGINS", "maybe", "ETAX_STRICT_PLUGINS: expected 1/0"),
        ("ETAX_SECRET_KEY", "short", "ETAX_SECRET_KEY: must be at least 32 characters"),
    ],
)
def test_bad_setting_names_the_variable(tmp_path: Path, name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(env(tmp_path, **{name: value}))


def test_production_requires_a_secret_key_and_refuses_the_test_captcha(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="ETAX_SECRET_KEY: required in production mode"):
        load_settings(env(tmp_path, ETAX_MODE="production"))
    with pytest.raises(SettingsError, match="ETAX_CAPTCHA_TEST_ANSWER: refused in production mode"):
        load_settings(
            env(tmp_path, ETAX_MODE="production", ETAX_SECRET_KEY="k" * 40, ETAX_CAPTCHA_TEST_ANSWER="X")
        )


def test_plugin_lists_are_split(tmp_path: Path) -> None:
    settings = load_settings(
        env(tmp_path, ETAX_PLUGINS="a.b, c", ETAX_DENY_PLUGINS="public", ETAX_STRICT_PLUGINS="1")
    )
    assert settings.plugins == ("a.b", "c")
    assert settings.deny_plugins == ("public",)
    assert settings.strict_plugins is True


def test_cli_prints_one_clear_line_for_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ETAX_MODE", "staging")
    assert main(["functions", "list"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("etax: ETAX_MODE:") and "\n" not in err


def test_cli_demo_load_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ETAX_MODE", "production")
    monkeypatch.setenv("ETAX_SECRET_KEY", "s" * 40)
    monkeypatch.delenv("ETAX_CAPTCHA_TEST_ANSWER")
    assert main(["demo", "load"]) == 2
    assert "refused in production" in capsys.readouterr().err
