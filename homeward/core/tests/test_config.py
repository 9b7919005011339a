"""Configuration from the environment: strict parsing, production refuses
to start without its secrets, the embedded setup keeps its own secrets safe."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from homeward.config import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    load_or_create_local_secrets,
    new_key,
    parse_key_list,
)

REPO = Path(__file__).resolve().parents[3]
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
KEY2 = base64.urlsafe_b64encode(b"z" * 32).decode()
KEY3 = base64.urlsafe_b64encode(b"a" * 32).decode()
GOOD_SECRET_KEY = "s3cret-" + "x" * 45
PRODUCTION = {
    "HOMEWARD_ENV": "production",
    "SECRET_KEY": GOOD_SECRET_KEY,
    "HOMEWARD_ENCRYPTION_KEYS": f"k1:{KEY}",
    "HOMEWARD_BLIND_INDEX_KEY": KEY2,
    "HOMEWARD_AUDIT_KEY": KEY3,
    "ALLOWED_HOSTS": "homeward.example.org",
    "DATABASE_URL": "postgres://homeward@db.invalid:5432/homeward",
}


# --- parsers ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "ja", "tru"])
def test_env_bool_refuses_anything_but_a_clear_yes_or_no(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("HOMEWARD_FLAG", raw)
    with pytest.raises(ConfigurationError, match="HOMEWARD_FLAG"):
        env_bool("HOMEWARD_FLAG")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True),
     ("0", False), ("false", False), ("No", False), ("off", False), ("", False)],
)
def test_env_bool_understands_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("HOMEWARD_FLAG", raw)
    assert env_bool("HOMEWARD_FLAG", not expected) is expected


def test_env_bool_falls_back_only_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOMEWARD_FLAG", raising=False)
    assert env_bool("HOMEWARD_FLAG", True) is True


@pytest.mark.parametrize(("raw", "message"), [("ten", "whole number"), ("-1", "at least 0")])
def test_env_int_refuses_bad_numbers(
    monkeypatch: pytest.MonkeyPatch, raw: str, message: str
) -> None:
    monkeypatch.setenv("HOMEWARD_N", raw)
    with pytest.raises(ConfigurationError, match=message):
        env_int("HOMEWARD_N", 5)


def test_env_int_and_list_and_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEWARD_N", " 42 ")
    monkeypatch.setenv("HOMEWARD_L", "a, b,,c ")
    monkeypatch.setenv("HOMEWARD_C", "staging")
    assert env_int("HOMEWARD_N", 5) == 42
    assert env_list("HOMEWARD_L") == ["a", "b", "c"]
    with pytest.raises(ConfigurationError, match="HOMEWARD_C must be one of"):
        env_choice("HOMEWARD_C", ("production", "development"), "development")


def test_parse_key_list_keeps_the_order_newest_last() -> None:
    keys = parse_key_list("KEYS", f"k1:{KEY}, k2:{KEY2.rstrip('=')}")
    assert list(keys) == ["k1", "k2"]
    assert keys["k1"] == b"k" * 32
    assert keys["k2"] == b"z" * 32


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (f"k1:{base64.urlsafe_b64encode(b'short').decode()}", "must be 32 bytes"),
        (f"k1:{base64.urlsafe_b64encode(b'x' * 33).decode()}", "must be 32 bytes"),
        ("k1:@@@not*base64@@@", "not valid base64|must be 32 bytes"),
        ("k1:a", "not valid base64|must be 32 bytes"),
        (f"k1:{KEY[:10]}*{KEY[10:]}", "not valid base64"),
        (f"k1:{KEY[:10]} {KEY[10:]}", "not valid base64"),
        (f"k1:{KEY}==", "not valid base64"),
        (f"k1:{KEY},k1:{KEY2}", "appears twice"),
        (KEY, "kid:base64key"),
        (f":{KEY}", "kid:base64key"),
        (f"k-1:{KEY}", "kid:base64key"),
        ("", "at least one key"),
        (" , ", "at least one key"),
    ],
    ids=["short", "long", "garbage", "truncated", "stray-character", "inner-space",
         "extra-padding", "duplicate", "no-id", "empty-id", "bad-id", "empty", "blank"],
)
def test_parse_key_list_refuses_bad_keys(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as excinfo:
        parse_key_list("HOMEWARD_ENCRYPTION_KEYS", raw)
    assert str(excinfo.value).startswith("HOMEWARD_ENCRYPTION_KEYS")
    # The message names the key, never shows its bytes.
    assert KEY not in str(excinfo.value)


def test_parse_key_list_accepts_both_base64_alphabets_with_or_without_padding() -> None:
    raw = bytes(range(200, 232))
    standard = base64.b64encode(raw).decode()
    urlsafe = base64.urlsafe_b64encode(raw).decode()
    assert "/" in standard
    assert "_" in urlsafe
    keys = parse_key_list("K", f"a:{standard},b:{urlsafe.rstrip('=')}")
    assert keys == {"a": raw, "b": raw}


def test_new_keys_are_valid_and_different() -> None:
    first, second = new_key(), new_key()
    assert first != second
    assert len(parse_key_list("K", f"a:{first},b:{second}")["a"]) == 32


def test_local_secrets_are_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secrets.json"
    first = load_or_create_local_secrets(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_local_secrets(path) == first
    parse_key_list("E", first["ENCRYPTION_KEYS"])
    parse_key_list("B", f"bi:{first['BLIND_INDEX_KEY']}")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_local_secrets_readable_by_others_are_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "secrets.json"
    load_or_create_local_secrets(path)
    path.chmod(mode)
    with pytest.raises(ConfigurationError, match="must not be readable by others"):
        load_or_create_local_secrets(path)


# --- whole-process start-up (in a subprocess, so settings load afresh) ------

SETUP = "import django; django.setup()"
PRINT_SECRET = (
    "import hashlib, django; from django.conf import settings; django.setup(); "
    "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())"
)


def _start(code: str, var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with only the given environment."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(var_dir),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
        "HOMEWARD_VAR_DIR": str(var_dir),
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env=clean, cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    return path


def test_production_without_any_secret_refuses_to_start_and_says_what_is_missing(
    var_dir: Path,
) -> None:
    result = _start(
        "import django; from django.conf import settings; settings.SECRET_KEY",
        var_dir, HOMEWARD_ENV="production",
    )
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    for name in ("SECRET_KEY", "HOMEWARD_ENCRYPTION_KEYS", "HOMEWARD_BLIND_INDEX_KEY",
                 "HOMEWARD_AUDIT_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert name in result.stderr
    assert not (var_dir / "secrets.json").exists()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "HOMEWARD_ENCRYPTION_KEYS",
                                     "HOMEWARD_BLIND_INDEX_KEY", "HOMEWARD_AUDIT_KEY",
                                     "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_names_each_missing_secret(var_dir: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _start(SETUP, var_dir, **env)
    assert result.returncode != 0
    assert f"refuses to start without: {missing}" in result.stderr
    # Secrets that were given never show up in the message.
    assert GOOD_SECRET_KEY not in result.stderr
    assert KEY not in result.stderr


def test_production_refuses_a_short_secret_key(var_dir: Path) -> None:
    result = _start(SETUP, var_dir, **{**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 40 characters" in result.stderr


def test_production_refuses_sqlite(var_dir: Path) -> None:
    result = _start(
        SETUP, var_dir, **{**PRODUCTION, "DATABASE_URL": f"sqlite:///{var_dir}/db.sqlite3"}
    )
    assert result.returncode != 0
    assert "needs a PostgreSQL DATABASE_URL" in result.stderr


def test_production_refuses_debug(var_dir: Path) -> None:
    result = _start(SETUP, var_dir, **{**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_a_malformed_key(var_dir: Path) -> None:
    result = _start(SETUP, var_dir, **{**PRODUCTION, "HOMEWARD_ENCRYPTION_KEYS": "k1:short"})
    assert result.returncode != 0
    assert "HOMEWARD_ENCRYPTION_KEYS" in result.stderr


def test_a_misspelt_environment_name_is_refused(var_dir: Path) -> None:
    result = _start(SETUP, var_dir, HOMEWARD_ENV="prod")
    assert result.returncode != 0
    assert "HOMEWARD_ENV must be one of" in result.stderr


def test_production_with_everything_in_place_starts(var_dir: Path) -> None:
    result = _start(
        SETUP + "; from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS, settings.DATABASES['default']['ENGINE'])",
        var_dir, **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "31536000", "django.db.backends.postgresql"
    ]
    # Production never falls back to a generated secrets file.
    assert not (var_dir / "secrets.json").exists()


def test_the_embedded_setup_creates_private_secrets_and_reuses_them(var_dir: Path) -> None:
    first = _start(PRINT_SECRET, var_dir, HOMEWARD_ENV="development")
    assert first.returncode == 0, first.stderr
    secrets_file = var_dir / "secrets.json"
    assert secrets_file.exists()
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600

    second = _start(PRINT_SECRET, var_dir, HOMEWARD_ENV="development")
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert len(first.stdout.strip()) == 64

    other_dir = var_dir.parent / "other"
    other_dir.mkdir()
    third = _start(PRINT_SECRET, other_dir, HOMEWARD_ENV="development")
    assert third.stdout != first.stdout


def test_an_explicit_secret_key_wins_over_the_embedded_one(var_dir: Path) -> None:
    result = _start(PRINT_SECRET, var_dir, HOMEWARD_ENV="development",
                    SECRET_KEY=GOOD_SECRET_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == hashlib.sha256(GOOD_SECRET_KEY.encode()).hexdigest()


def test_the_embedded_setup_refuses_a_secrets_file_readable_by_others(var_dir: Path) -> None:
    assert _start(SETUP, var_dir, HOMEWARD_ENV="development").returncode == 0
    (var_dir / "secrets.json").chmod(0o644)

    result = _start(SETUP, var_dir, HOMEWARD_ENV="development")

    assert result.returncode != 0
    assert "must not be readable by others" in result.stderr
