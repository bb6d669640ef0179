"""Dutch compounds a question uses and the documents do not ("parkeervergunning" where a
text says "een vergunning om te parkeren"): their parts, for the keyword ranking.

Dutch writes a compound as one word, and the keyword index knows words as written
(stemmed): a question's "parkeervergunning" finds nothing in that text. A word no indexed
passage holds adds nothing to a search, so its parts can only add: the longest head (the
last part, which says what the compound is) that follows a modifier the index also holds,
and that modifier. Both must be known: "procedureel" ends in "reel" but is no compound.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .bm25 import stem_word

_WORD = re.compile(r"[^\W\d_]+")
_MIN_COMPOUND = 8  # shorter words are rarely compounds of two known words
_MIN_PART = 4  # index terms of a part: "plan", "boom"; shorter ones match by chance
# Linking sounds between the parts: "bestemming-s-plan", "pann-e-koek", "boek-en-kast".
_LINKS = ("s", "e", "en")


def compound_parts(query: str, known: Callable[[str], bool]) -> list[str]:
    """The parts (as written) of the query's words whose index term ``known`` (is this
    index term in some passage?) rejects: per such word the longest head that is known
    after a known modifier, both, in the query's order, without repeats."""
    parts: dict[str, None] = {}
    for word in _WORD.findall(query.lower()):
        stem = stem_word(word)
        if len(word) < _MIN_COMPOUND or not stem or known(stem):
            continue
        for split in range(_MIN_PART, len(word) - _MIN_PART + 1):
            head = stem_word(word[split:])
            if len(head) < _MIN_PART or not known(head):
                continue
            modifier = _known_modifier(word[:split], known)
            if modifier is None:
                continue  # "procedu|reel": a word that only ends like another
            parts[word[split:]] = None
            parts[modifier] = None
            break  # the longest head
    return list(parts)


def _known_modifier(modifier: str, known: Callable[[str], bool]) -> str | None:
    """The modifier as the index knows it: without its linking sound, or as the verb it is
    the stem of ("parkeer-" of "parkeren", "woon-" of "wonen")."""
    for link in ("", *_LINKS):
        if link and not modifier.endswith(link):
            continue
        word = modifier[: len(modifier) - len(link)]
        for form in (word, _VERB_STEM.sub(r"\1\2en", word)):
            stem = stem_word(form)
            if len(stem) >= _MIN_PART and known(stem):
                return form
    return None


# A verb stem with a long vowel before its last consonant: "parkeer" → "parkeren".
_VERB_STEM = re.compile(r"([aeou])\1([^aeiou])$")
