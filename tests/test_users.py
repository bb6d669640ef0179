"""Login passwords: scrypt hashes with a random salt; wrong passwords and bad lines fail."""

from __future__ import annotations

import pytest

from raadsinzicht.users import hash_password, verify_password, verify_user


def test_hash_format_and_verify() -> None:
    line = hash_password("geheim wachtwoord")
    scheme, salt, digest = line.split("$")
    assert scheme == "scrypt" and len(salt) == 32 and len(digest) == 64
    assert verify_password("geheim wachtwoord", line)
    assert not verify_password("geheim wachtwoorD", line)
    assert not verify_password("", line)


def test_salt_is_random() -> None:
    assert hash_password("zelfde") != hash_password("zelfde")


@pytest.mark.parametrize(
    "stored", ["", "geheim", "scrypt$zz$00", "md5$00$00", "scrypt$$", "scrypt$00$00$00"]
)
def test_malformed_lines_never_verify(stored: str) -> None:
    assert not verify_password("geheim", stored)


def test_verify_user() -> None:
    users = {"jansen": hash_password("welkom123"), "de vries": hash_password("ander")}
    assert verify_user(users, "jansen", "welkom123")
    assert not verify_user(users, "jansen", "ander")
    assert not verify_user(users, "pietersen", "welkom123")
    assert not verify_user({}, "jansen", "welkom123")


def test_empty_password_refused() -> None:
    with pytest.raises(ValueError, match="leeg"):
        hash_password("")


def test_cli_user_hash_prints_a_line_for_the_config() -> None:
    import re

    from typer.testing import CliRunner

    from raadsinzicht.cli import app

    result = CliRunner().invoke(app, ["user-hash"], input="welkom123\nwelkom123\n")
    assert result.exit_code == 0, result.output
    line = re.search(r'gebruikersnaam = "(scrypt\$[0-9a-f]+\$[0-9a-f]+)"', result.stdout)
    assert line and verify_password("welkom123", line.group(1))
    assert "welkom123" not in result.stdout  # the password itself is never printed
