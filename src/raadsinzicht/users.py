"""Password hashes for the web interface's optional login.

A hash line is ``scrypt$<salt hex>$<hash hex>`` (``hashlib.scrypt``, random 16-byte salt),
pasted into ``raadsinzicht.toml`` under ``[web.users]``::

    [web.users]
    jansen = "scrypt$9f2c...$51ab..."

Only hashes are stored; ``raadsinzicht user-hash`` makes one from a password typed in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping

__all__ = ["hash_password", "os_account", "verify_password", "verify_user"]

_SCHEME = "scrypt"
# scrypt cost parameters (n=2**14, r=8: ~16 MB and a few tens of ms per check).
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32


def _derive(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_BYTES)


def hash_password(password: str) -> str:
    """A new ``scrypt$<salt hex>$<hash hex>`` line for ``password`` (random salt)."""
    if not password:
        raise ValueError("Een leeg wachtwoord is niet toegestaan.")
    salt = secrets.token_bytes(_SALT_BYTES)
    return f"{_SCHEME}${salt.hex()}${_derive(password, salt).hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash line; False for any malformed line."""
    try:
        scheme, salt_hex, hash_hex = stored.strip().split("$")
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
    except ValueError:
        return False
    if scheme != _SCHEME or not salt or not expected:
        return False
    actual = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=len(expected)
    )
    return hmac.compare_digest(actual, expected)


def verify_user(users: Mapping[str, str], name: str, password: str) -> bool:
    """Check a login against the configured users (unknown names cost the same time)."""
    stored = users.get(name)
    if stored is None:
        # Spend the same work as for a real user, so timing does not reveal user names.
        verify_password(password, f"{_SCHEME}${'00' * _SALT_BYTES}${'00' * _KEY_BYTES}")
        return False
    return verify_password(password, stored)


def os_account() -> str:
    """The operating-system account this process runs as: from the OS itself, not from
    LOGNAME/USER, which any caller can set."""
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid without a passwd entry (containers)
        return str(os.getuid())
