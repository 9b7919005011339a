"""Encryption at rest and blind indexes for identifying data.

Values are sealed with AES-256-GCM under the newest key of
``settings.HOMEWARD_ENCRYPTION_KEYS`` and stored as text tokens::

    hw1:<key id>:<urlsafe base64, unpadded, of nonce(12) + ciphertext + tag(16)>

The associated data (for model fields ``"<app_label>.<model_name>.<field>"``)
is authenticated with the value, so a token copied into another column does
not decrypt. Older keys stay in the keyring only to decrypt; ``rotate-keys``
moves every value to the newest key.

Blind indexes are keyed HMAC-SHA256 digests of a normalised value: they allow
exact-match search without storing the value, and each purpose has its own
derived key so indexes for different purposes cannot be correlated.

Nothing here logs, prints or puts a plaintext into an exception message.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "TOKEN_PREFIX",
    "DecryptionError",
    "blind_index",
    "decrypt",
    "encrypt",
    "is_token",
    "newest_key_id",
    "normalise_email",
    "normalise_phone",
    "normalise_text",
    "token_key_id",
]

TOKEN_PREFIX = "hw1"  # noqa: S105 - a format tag, not a secret
NONCE_SIZE = 12
TAG_SIZE = 16
KEY_SIZE = 32

_KEY_ID = re.compile(r"[A-Za-z0-9]+")
_BODY = re.compile(r"[A-Za-z0-9_-]+")
_BLIND_INDEX_LABEL = b"homeward-blind-index:"


class DecryptionError(Exception):
    """A token could not be decrypted: malformed, unknown key id, tampered with,
    or sealed for another column. The message never holds the plaintext."""


# --- keyring -----------------------------------------------------------------


def _keyring() -> dict[str, bytes]:
    """The configured keys, read from settings on every call (oldest first)."""
    keys = getattr(settings, "HOMEWARD_ENCRYPTION_KEYS", None)
    if not isinstance(keys, Mapping) or not keys:
        raise ImproperlyConfigured("HOMEWARD_ENCRYPTION_KEYS must map key ids to 32-byte keys")
    for kid, key in keys.items():
        if not isinstance(kid, str) or not _KEY_ID.fullmatch(kid):
            raise ImproperlyConfigured("HOMEWARD_ENCRYPTION_KEYS: key ids must be alphanumeric")
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            raise ImproperlyConfigured(
                f"HOMEWARD_ENCRYPTION_KEYS: key {kid!r} must be {KEY_SIZE} bytes"
            )
    return dict(keys)


@functools.lru_cache(maxsize=32)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def newest_key_id() -> str:
    """The id of the key new values are encrypted with (the last configured)."""
    return list(_keyring())[-1]


# --- tokens ------------------------------------------------------------------


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    if not _BODY.fullmatch(text):
        raise DecryptionError("malformed token: body is not urlsafe base64")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("malformed token: body is not urlsafe base64") from exc


def _split(token: str) -> tuple[str, str]:
    """``(key id, body)`` of a well-formed token; DecryptionError otherwise."""
    if not isinstance(token, str):
        raise DecryptionError("malformed token: not a string")
    prefix, sep1, rest = token.partition(":")
    kid, sep2, body = rest.partition(":")
    if prefix != TOKEN_PREFIX or not sep1 or not sep2:
        raise DecryptionError(f"malformed token: does not start with '{TOKEN_PREFIX}:<key id>:'")
    if not _KEY_ID.fullmatch(kid):
        raise DecryptionError("malformed token: invalid key id")
    return kid, body


def is_token(value: object) -> bool:
    """True when ``value`` has the shape of a token (it is not decrypted)."""
    if not isinstance(value, str):
        return False
    try:
        _split(value)
    except DecryptionError:
        return False
    return True


def token_key_id(token: str) -> str:
    """The id of the key a token was sealed with; DecryptionError if malformed."""
    return _split(token)[0]


def encrypt(plaintext: str, *, associated_data: str) -> str:
    """Seal ``plaintext`` under the newest key, bound to ``associated_data``.

    A fresh random nonce is used for every call, so equal plaintexts give
    different tokens.
    """
    if not isinstance(plaintext, str):
        raise TypeError("encrypt() takes a str plaintext")
    keys = _keyring()
    kid = list(keys)[-1]
    nonce = os.urandom(NONCE_SIZE)
    sealed = _aead(keys[kid]).encrypt(
        nonce, plaintext.encode("utf-8"), associated_data.encode("utf-8")
    )
    return f"{TOKEN_PREFIX}:{kid}:{_b64encode(nonce + sealed)}"


def decrypt(token: str, *, associated_data: str) -> str:
    """Open a token made by :func:`encrypt` with the same ``associated_data``.

    Uses the key named in the token, which may be an older key. Raises
    :class:`DecryptionError` for an unknown key id, a malformed or tampered
    token, or a token sealed for different associated data.
    """
    kid, body = _split(token)
    key = _keyring().get(kid)
    if key is None:
        raise DecryptionError(f"unknown key id {kid!r}: the key is not in the keyring")
    raw = _b64decode(body)
    if len(raw) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionError("malformed token: too short")
    try:
        data = _aead(key).decrypt(
            raw[:NONCE_SIZE], raw[NONCE_SIZE:], associated_data.encode("utf-8")
        )
        return data.decode("utf-8")
    except InvalidTag:
        raise DecryptionError(
            f"token does not authenticate for {associated_data!r} under key {kid!r}: "
            "tampered with, or copied from another column"
        ) from None
    except UnicodeDecodeError:
        raise DecryptionError("decrypted value is not UTF-8") from None


# --- blind indexes -----------------------------------------------------------

Normaliser = Callable[[str], str]


def normalise_text(value: str) -> str:
    """NFKC, case-folded, Cyrillic yo read as ie, whitespace collapsed and stripped."""
    text = unicodedata.normalize("NFKC", value).casefold()
    text = unicodedata.normalize("NFKC", text).replace("\u0451", "\u0435")  # Cyrillic yo -> ie
    return " ".join(text.split())


def normalise_email(value: str) -> str:
    """Stripped and lower-cased."""
    return value.strip().lower()


def normalise_phone(value: str) -> str:
    """Digits only (any script's decimal digits, as ASCII), with a leading ``+`` kept.

    ``00`` as an international prefix becomes ``+``. An 11-digit number
    without ``+`` that starts with ``8`` or ``7`` followed by 3-9 (the Russian
    and Kazakh trunk and country prefixes) becomes ``+7...``; ``8 0..``
    (Belarusian trunk prefix) is left alone.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    plus = text.startswith("+")
    digits = "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())
    if not digits:
        return ""
    if not plus and digits.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    if not plus and len(digits) == 11 and digits[0] in "78" and digits[1] in "3456789":
        return "+7" + digits[1:]
    return ("+" if plus else "") + digits


def _blind_index_key(purpose: str) -> bytes:
    master = getattr(settings, "HOMEWARD_BLIND_INDEX_KEY", None)
    if not isinstance(master, bytes) or len(master) < KEY_SIZE:
        raise ImproperlyConfigured(f"HOMEWARD_BLIND_INDEX_KEY must be at least {KEY_SIZE} bytes")
    return hmac.new(master, _BLIND_INDEX_LABEL + purpose.encode("utf-8"), hashlib.sha256).digest()


def blind_index(value: str | None, *, purpose: str, normaliser: Normaliser = normalise_text) -> str:
    """Hex HMAC-SHA256 of the normalised value under a key derived for ``purpose``.

    Spellings that normalise alike give the same index; different purposes or
    master keys give unrelated indexes. An empty (or None) value after
    normalising gives ``""``: no index.
    """
    if not purpose:
        raise ValueError("blind_index() needs a non-empty purpose")
    if value is None:
        return ""
    normalised = normaliser(value)
    if not normalised:
        return ""
    return hmac.new(
        _blind_index_key(purpose), normalised.encode("utf-8"), hashlib.sha256
    ).hexdigest()
