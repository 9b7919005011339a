"""Strict configuration from the environment.

Every setting Homeward reads from the environment goes through one of these
parsers. A malformed value stops the process with a message that names the
variable; nothing falls back silently to an insecure default.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any


class ConfigurationError(RuntimeError):
    """Raised when the environment does not describe a safe configuration."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def parse_key_list(name: str, raw: str) -> dict[str, bytes]:
    """Parse ``kid:base64key,kid:base64key`` into an ordered mapping.

    The last key is the newest one and is used for new encryptions.
    Each key must decode to exactly 32 bytes (AES-256).
    """
    keys: dict[str, bytes] = {}
    for item in [part.strip() for part in raw.split(",") if part.strip()]:
        kid, sep, encoded = item.partition(":")
        if not sep or not kid or not kid.isalnum():
            raise ConfigurationError(f"{name}: each entry must look like 'kid:base64key'")
        try:
            # validate=True: a stray character is an error, not silently dropped.
            key = base64.b64decode(
                encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True
            )
        except (ValueError, TypeError) as exc:
            raise ConfigurationError(f"{name}: key {kid!r} is not valid base64") from exc
        if len(key) != 32:
            raise ConfigurationError(f"{name}: key {kid!r} must be 32 bytes, got {len(key)}")
        if kid in keys:
            raise ConfigurationError(f"{name}: key id {kid!r} appears twice")
        keys[kid] = key
    if not keys:
        raise ConfigurationError(f"{name} must hold at least one key")
    return keys


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def load_or_create_local_secrets(path: Path) -> dict[str, Any]:
    """Secrets for the embedded (non-production) setup, generated once.

    The file is written with mode 0600 and reused on every start, so data
    encrypted yesterday stays readable today.
    """
    fresh = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_KEYS": f"k1:{new_key()}",
        "BLIND_INDEX_KEY": new_key(),
        "AUDIT_KEY": new_key(),
    }
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigurationError(f"{path} must not be readable by others (mode {mode:o})")
        data: dict[str, Any] = json.loads(path.read_text())
        missing = {name: value for name, value in fresh.items() if name not in data}
        if missing:  # a secret added by a newer release: generate it once, keep the rest
            data.update(missing)
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(data, handle, indent=2)
            os.replace(tmp, path)
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    data = fresh
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its keys
        return load_or_create_local_secrets(path)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
    return data
