"""Who may see what: access per collection and the two roles, from the ``[access]``
settings. The Engine builds one ``AccessPolicy`` and asks it on every read path, so the
CLI and the web interface apply the same rules::

    [access.groups]
    juristen = ["jansen", "pietersen"]
    beheerders = ["admin"]
    [access.collections]
    bezwaar = ["juristen"]        # only these groups see this collection
    "woo*" = ["juristen"]         # a pattern: every collection starting with 'woo'

- A collection that no entry of ``[access.collections]`` matches is open to every user.
  One that matches is visible to members of its groups only; when several entries
  match, the user must be allowed by each of them (the strictest wins). Names are
  compared without case and accents; keys may be shell patterns (``*``, ``?``).
- A document (the same PDF may sit in several collections) is visible when at least one
  of its files lies in a collection the user may see; the user is shown those files only.
- Members of an admin group (``access.admin_groups``: ``beheerders`` or ``admins``) may
  upload, remove and re-index, manage every job and see the whole audit log; others see
  their own records and jobs. As long as no admin group is configured, every user may
  do everything (a single-user install stays as simple as it is).
- No user (``None``: the web interface without login) belongs to no group.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import RaadsinzichtError
from .settings import AccessSettings

__all__ = ["AccessDeniedError", "AccessPolicy", "normalise_name"]


class AccessDeniedError(RaadsinzichtError):
    """The user may not do this (a role is missing); the message says what and why."""


def normalise_name(name: str) -> str:
    """A collection or group name as compared: no case, no accents, single spaces, no
    surrounding slashes."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().strip().strip("/").split())


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    settings: AccessSettings
    _rules: tuple[tuple[str, frozenset[str]], ...] = field(init=False, repr=False)
    _members: dict[str, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rules = tuple(
            (normalise_name(pattern), frozenset(normalise_name(g) for g in groups))
            for pattern, groups in self.settings.collections.items()
        )
        members: dict[str, set[str]] = {}
        for group, users in self.settings.groups.items():
            members.setdefault(normalise_name(group), set()).update(u.strip() for u in users)
        object.__setattr__(self, "_rules", rules)
        object.__setattr__(self, "_members", {g: frozenset(u) for g, u in members.items()})

    @property
    def restricts_collections(self) -> bool:
        """Whether any collection is closed to some users."""
        return bool(self._rules)

    @property
    def roles_enabled(self) -> bool:
        """Whether an admin group is configured (then only its members manage)."""
        return any(normalise_name(g) in self._members for g in self.settings.admin_groups)

    def groups_of(self, user: str | None) -> frozenset[str]:
        if not user:
            return frozenset()
        return frozenset(group for group, users in self._members.items() if user in users)

    def is_admin(self, user: str | None) -> bool:
        """May ``user`` upload, remove, re-index and see every audit record and job?"""
        if not self.roles_enabled:
            return True
        admin_groups = {normalise_name(g) for g in self.settings.admin_groups}
        return bool(self.groups_of(user) & admin_groups)

    def require_admin(self, user: str | None, action: str) -> None:
        """Raise a Dutch one-line error unless ``user`` may ``action`` (e.g. 'verwijderen')."""
        if not self.is_admin(user):
            groups = " of ".join(self.settings.admin_groups)
            raise AccessDeniedError(
                f"Alleen beheerders (groep {groups}) mogen {action}; "
                f"{user or 'een niet-ingelogde gebruiker'} is geen beheerder."
            )

    def may_see(self, user: str | None, collection: str) -> bool:
        name = normalise_name(collection)
        groups = self.groups_of(user)
        return all(
            groups & allowed
            for pattern, allowed in self._rules
            if fnmatch.fnmatchcase(name, pattern)
        )

    def hidden_collections(self, user: str | None, collections: Iterable[str]) -> frozenset[str]:
        """Those of ``collections`` (names as stored) that ``user`` may not see."""
        if not self._rules:
            return frozenset()
        return frozenset(c for c in collections if not self.may_see(user, c))

    def may_see_record(self, user: str | None, record_user: str | None) -> bool:
        """An audit record or job is visible to its own user and to admins."""
        return self.is_admin(user) or (user is not None and record_user == user)
