"""Word lists shipped as data files in ``raadsinzicht/data/``: political parties,
ministries, other government bodies and provinces. Rules live in code; the names they
look for live here, so a municipality adds its local parties without touching a rule.
The Dutch municipalities come from deduce's place-name lists (a dependency already)."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

__all__ = [
    "agencies",
    "canonical_party",
    "fingerprint",
    "first_names",
    "ministries",
    "ministry_domains",
    "municipalities",
    "name_words",
    "parties",
    "party_aliases",
    "party_pattern",
    "provinces",
]


@cache
def _load(name: str) -> Any:
    return json.loads(resources.files("raadsinzicht.data").joinpath(name).read_text("utf-8"))


@cache
def parties(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> dict[str, tuple[str, ...]]:
    """Canonical party name -> accepted spellings: national parties, the local parties in
    ``parties.json`` and ``extra`` (``metadata.local_parties`` from the settings)."""
    data = _load("parties.json")
    merged: dict[str, tuple[str, ...]] = {}
    for section in ("national", "local"):
        for canon, aliases in data[section].items():
            merged[canon] = tuple(aliases)
    for canon, aliases in extra:
        merged[canon] = tuple(dict.fromkeys((*merged.get(canon, ()), canon, *aliases)))
    return merged


@cache
def party_aliases(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> dict[str, str]:
    """Accepted spelling -> canonical party name."""
    return {alias: canon for canon, names in parties(extra).items() for alias in names}


@cache
def _folded_aliases(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> dict[str, str]:
    folded: dict[str, str] = {}
    for canon, names in parties(extra).items():
        for alias in (canon, *names):
            folded.setdefault(_fold(alias), canon)
    return folded


def _fold(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def canonical_party(
    name: str | None, extra: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> str | None:
    """The canonical name of a party as written anywhere ("Haagse VVD", "GL", "cu-sgp",
    "Fractie CDA"); None for an empty name; unknown names come back cleaned up."""
    if not name or not name.strip():
        return None
    cleaned = re.sub(r"\s+", " ", name).strip(" .,;:()")
    exact = party_aliases(extra).get(cleaned)
    if exact:
        return exact
    folded = _folded_aliases(extra)
    key = _fold(cleaned)
    if key in folded:
        return folded[key]
    stripped = re.sub(r"^(?:fractie|raadsfractie|raadsleden|de)\s+", "", cleaned, flags=re.I)
    return folded.get(_fold(stripped), stripped or cleaned)


@cache
def party_pattern(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> re.Pattern[str]:
    """Any accepted spelling as a whole word (case-sensitive: "SP" must not match "sp")."""
    aliases = sorted(party_aliases(extra), key=len, reverse=True)
    return re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(a) for a in aliases) + r")(?![\w/-])")


def ministries() -> tuple[str, ...]:
    return tuple(_load("ministries.json")["names"])


def ministry_domains() -> dict[str, str]:
    return dict(_load("ministries.json")["domains"])


def agencies() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(item["pattern"], re.IGNORECASE if item["ignore_case"] else 0), item["name"])
        for item in _load("agencies.json")["agencies"]
    )


def provinces() -> tuple[str, ...]:
    return tuple(_load("provinces.json")["provinces"])


# deduce writes every word capitalised ("Aa En Hunze", "'S-Gravenhage").
_NAME_PARTICLES = frozenset(["aan", "bij", "de", "den", "en", "op", "van"])


def _deduce_list(*parts: str) -> list[str]:
    """The lines of one of deduce's lookup lists (``data/lookup/src/…/items.txt``), read
    without importing deduce, whose import costs seconds; empty when the file is missing
    (a newer deduce that moved it)."""
    spec = find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(
        "data", "lookup", "src", *parts
    )
    try:
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    except OSError:
        return []


@cache
def municipalities() -> tuple[str, ...]:
    """The Dutch municipalities as they are written ("Aa en Hunze", "'s-Gravenhage"), from
    deduce's list."""
    lines = _deduce_list("locations", "lst_placename", "lst_municipality", "items.txt")
    names = []
    for line in filter(None, map(str.strip, lines)):
        words = line.split(" ")
        words[1:] = [w.lower() if w.lower() in _NAME_PARTICLES else w for w in words[1:]]
        names.append(" ".join(words).replace("'S-", "'s-"))
    return tuple(names)


def _deduce_names(name: str) -> set[str]:
    """One of deduce's name lists less its exceptions (words that are also common nouns or
    places: "Arts", "Apeldoorn")."""
    items = _deduce_list("names", name, "items.txt")
    return set(filter(None, items)) - set(_deduce_list("names", name, "exceptions.txt"))


@cache
def first_names() -> frozenset[str]:
    """Dutch first names as written ("Lesley", "Damiën"), from deduce's list."""
    return frozenset(_deduce_names("lst_first_name"))


@cache
def name_words() -> frozenset[str]:
    """Dutch first names and surnames as written ("Lesley", "Dumoulin", "Vries"), from
    deduce's lists. Empty without deduce's files."""
    # "de Vries", "van den Berg": the surname's own last word.
    interfixed = _deduce_list("names", "lst_interfix_surname", "items.txt")
    return (
        first_names()
        | _deduce_names("lst_surname")
        | frozenset(filter(None, (line.split(" ")[-1] for line in interfixed)))
    )


@cache
def fingerprint() -> str:
    """Hash of the shipped word lists: an edited list re-parses documents on the next ingest."""
    digest = hashlib.sha256()
    folder = resources.files("raadsinzicht.data")
    for name in sorted(item.name for item in folder.iterdir() if item.name.endswith(".json")):
        digest.update(name.encode())
        digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()[:12]
