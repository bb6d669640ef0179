"""The Dutch municipalities and provinces a question names, and whether a document
speaks of them.

Why: a question about a place the documents are not about ("Hoeveel laadpalen plaatste
Eindhoven?" over an index of Den Haag's documents) still finds passages that share its
other words, and a sentence about Den Haag's charging points scores well. Such a
question asks what the documents do not hold. On the tuning sets every unanswerable
question that names a municipality or province was refused by this check (10 of 23
unanswerable questions), and one answerable question, whose best passage was from
another municipality's document (a wrong answer either way).

Names count only as written with a capital (as in "Haagse", "gemeente Leiden"):
"leiden", "best" and "buren" are also Dutch words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from . import wordlists

__all__ = ["another_municipality", "mentions", "places_named"]

# Adjectives that do not follow the name + "se" rule; an alias a document may use instead.
_IRREGULAR = {
    "Friesland": ("Friese",),
    "Fryslân": ("Friese",),
    "Zeeland": ("Zeeuwse",),
    "Drenthe": ("Drentse",),
    "Noord-Brabant": ("Brabantse",),
    "'s-Hertogenbosch": ("Bossche", "Den Bosch"),
    "Den Haag": ("'s-Gravenhage", "’s-Gravenhage"),
}
_SAME_PLACE = {"'s-Gravenhage": "Den Haag"}  # deduce lists both


def _adjectives(name: str) -> set[str]:
    """ "Haagse", "Amsterdamse", "Helderse", "Leidse", "Groningse"; short ones ("Edese")
    are left out, as they may be other words."""
    last = name.split(" ")[-1]
    forms = {last + "se"}
    if last.endswith("en"):
        forms.add(last[:-2] + "se")
    return {form for form in forms if len(form) > 5 and form[:1].isupper()}


@cache
def _forms() -> dict[str, str]:
    """Each way of writing a place (name, alias, adjective) -> the place's name."""
    forms: dict[str, str] = {}
    for listed in (*wordlists.municipalities(), *wordlists.provinces()):
        name = _SAME_PLACE.get(listed, listed)
        forms.setdefault(name, name)
        for form in (*_adjectives(name), *_IRREGULAR.get(name, ())):
            forms.setdefault(form, name)
    return forms


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


@cache
def _written(place: str) -> re.Pattern[str]:
    """Any form of ``place`` as a document writes it (also in capitals: "GEMEENTE DEN
    HAAG")."""
    forms = [form for form, name in _forms().items() if name == place]
    alternatives = "|".join(re.escape(f) for f in (*forms, *(f.upper() for f in forms)))
    return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w-])")


def places_named(question: str) -> list[str]:
    """The municipalities and provinces ``question`` names, first named first. A name that
    opens the question is left out ("Best" may be "best")."""
    forms = _forms()
    found: list[str] = []
    for match in _pattern().finditer(question):
        if match.start() == 0 and " " not in match.group() and "-" not in match.group():
            continue
        place = forms[match.group()]
        if place not in found:
            found.append(place)
    return found


def is_place(text: str) -> bool:
    """Whether ``text`` is a municipality's or province's name, no more ("Den Haag")."""
    return _forms().get(text.strip()) == text.strip()


def without_places(text: str) -> str:
    """``text`` with the municipalities and provinces it names left out."""
    return _pattern().sub(" ", text)


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def mentions(texts: Iterable[str], place: str, file: str = "") -> bool:
    """Whether any of ``texts`` names ``place``, or the file's path does ("denhaag_…")."""
    if _compact(place) in _compact(file):
        return True
    written = _written(place)
    return any(written.search(text) for text in texts)


def another_municipality(named: list[str], organisation: str | None, title: str, file: str) -> bool:
    """Whether a document is another municipality's than the one(s) a question names
    (``named``, from ``places_named``): its organisation is a municipality the question
    does not name, and neither its title nor its file name names one the question does. A
    province's or ministry's document, or a question that names a province, never is (a
    province's document speaks of its municipalities)."""
    provinces = set(wordlists.provinces())
    asked = [place for place in named if place not in provinces]
    if not asked or not organisation:
        return False
    owners = [place for place in places_named(organisation) if place not in provinces]
    if not owners or any(place in owners for place in asked):
        return False
    return not any(mentions([title], place, file) for place in asked)
