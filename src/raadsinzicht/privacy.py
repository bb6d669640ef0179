"""Privacy by design: finding Dutch personal data and pseudonymising it before a model
sees it.

Detection combines two sources:

* ``deduce`` (rule- and lookup-based de-identification made for Dutch text; runs
  offline) for person names and street addresses. Only its name and location
  annotators are used: its date, age and identifier rules were made for medical records
  and would hide decision dates and case numbers that legal work needs.
* checksum-validated patterns for what has a checkable shape: BSN (elfproef), IBAN
  (ISO 13616 mod-97), Dutch phone numbers, e-mail addresses, postcodes, licence plates
  (RDW side codes) and dates of birth (a date with "geboren"/"geboortedatum" before it).

``Pseudonymizer`` replaces what was found with consistent placeholders ("[PERSOON-1]",
"[ADRES-2]", ...): the same value gets the same placeholder in every text of one data
directory, so a model can still tell people apart and the mapping can be reversed
locally. The mapping lives in ``<home>/privacy/mapping.sqlite3`` (folder 0700, file 0600).
"""

from __future__ import annotations

import dataclasses
import fcntl
import gc
import importlib.metadata
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import warnings
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import find_dates
from .migrations import Migration, migrate

if TYPE_CHECKING:
    from .index.catalog import Catalog, ChunkRecord
    from .retrieve import SearchFilters, SearchHit
    from .settings import Settings

__all__ = [
    "ENTITY_TYPES",
    "PLACEHOLDER",
    "Entity",
    "Pseudonymizer",
    "cache_folder",
    "contact_details",
    "detector_load_seconds",
    "elfproef",
    "find_personal_data",
    "iban_valid",
    "is_sensitive",
    "load_detector",
    "mask",
    "protect_document",
    "protect_hits",
    "sensitive_hit",
]

logger = logging.getLogger(__name__)

ENTITY_TYPES: tuple[str, ...] = (
    "PERSOON",
    "ADRES",
    "BSN",
    "IBAN",
    "TELEFOON",
    "EMAIL",
    "GEBOORTEDATUM",
    "KENTEKEN",
)
# Dutch labels for reports and the CLI.
TYPE_LABELS: dict[str, str] = {
    "PERSOON": "naam",
    "ADRES": "adres",
    "BSN": "burgerservicenummer",
    "IBAN": "IBAN",
    "TELEFOON": "telefoonnummer",
    "EMAIL": "e-mailadres",
    "GEBOORTEDATUM": "geboortedatum",
    "KENTEKEN": "kenteken",
}
PLACEHOLDER = re.compile(r"\[(" + "|".join(ENTITY_TYPES) + r")-(\d+)\]")

# When two findings overlap, the more certain one wins: checksum-validated first.
_PRIORITY = {t: n for n, t in enumerate(
    ("EMAIL", "IBAN", "BSN", "KENTEKEN", "TELEFOON", "GEBOORTEDATUM", "ADRES", "PERSOON")
)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entity:
    """Personal data found in a text; ``text == source[start:end]``."""

    type: str
    start: int
    end: int
    text: str


# -- checksums ---------------------------------------------------------------------------


def elfproef(digits: str) -> bool:
    """The BSN eleven test: 9 digits, weights 9..2 and -1, sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


# IBAN lengths for the countries a Dutch municipality meets (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "NL": 18, "BE": 16, "DE": 22, "FR": 27, "LU": 20, "GB": 22, "IE": 22, "ES": 24,
    "PT": 25, "IT": 27, "AT": 20, "CH": 21, "LI": 21, "DK": 18, "SE": 24, "NO": 15,
    "FI": 18, "PL": 28, "CZ": 24, "SK": 24, "HU": 28, "RO": 24, "BG": 22, "HR": 21,
    "SI": 19, "GR": 27, "CY": 28, "MT": 31, "EE": 20, "LV": 21, "LT": 20, "TR": 26,
    "MA": 28, "IS": 26,
}  # fmt: skip


def iban_valid(value: str) -> bool:
    """A known country's length and the mod-97 check (remainder 1)."""
    iban = re.sub(r"\s", "", value).upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit():
        return False
    if not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# -- patterns ----------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?![\w-])"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")
# 9 digits, plain or grouped as people write them (1234.56.782, 123 456 782, 12.34.56.782).
_BSN = re.compile(
    r"(?<![\w.,/-])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3}|\d{2}\.\d{2}\.\d{2}\.\d{3})"
    r"(?![\w]|[.,/-]\d)"
)
_BSN_CONTEXT = re.compile(r"bsn|burgerservice|sofi|persoonsnummer|persoonsgebonden", re.I)
# Numbers after these words are case or invoice numbers, even when the eleven test holds.
_NUMBER_CONTEXT = re.compile(
    r"(?:kenmerk|zaak|factuur|klant|dossier|registratie|order|relatie|aanslag|ingangs|"
    r"referentie|polis|nummer|\bnr)\.?[^\n]{0,25}$",
    re.I,
)
_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t])?"
_PHONE = re.compile(
    r"(?<![\w@+/.,-])(?:"
    rf"(?:\+31|0031){_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{8}}"  # +31 6 12345678
    rf"|\(0\d{{1,3}}\){_SEP}\d(?:{_SEP}\d){{4,7}}"  # (070) 353 30 00
    rf"|0[89]00{_SEP}\d{{4}}(?:\d{{3}})?"  # 0800-1234, 0900-1234567
    rf"|0[1-9](?:{_SEP}\d){{8}}"  # 06-12345678, 020 623 44 19
    r")(?![\w-]|[.,]\d)"
)
_POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3}[ \t]?(?!SA|SD|SS)[A-Z]{2}(?![\w-])"
    # the place after it: capitalised words on the same line ("Den Haag", "'s-Hertogenbosch",
    # "Alphen aan den Rijn")
    r"(?:[ \t]{1,3}(?:'s-)?[A-Z][\w'-]+(?:[ \t](?:aan|den|de|op|in|bij|[A-Z][\w'-]+)){0,3})?"
)
_STREET_SUFFIX = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|park|pad|steeg|markt|baan|"
    r"wal|veld|plantsoen|erf|boulevard|allee|straatweg|dam|haven|kanaal|zijde|rade"
)
# "Kerkstraat 12", "Van Oldenbarneveltlaan 88", "Laan van Meerdervoort 512", "Marconistraat
# 88-III", "Schiekade 101A", "Hobbemastraat 51-2": a street-like name and a house number.
_STREET = re.compile(
    r"(?<![\w-])(?:[A-Z][a-zà-ÿ]+(?:[ \t-](?:van|de|der|den|het|'t|[A-Z][a-zà-ÿ]+)){0,2}?[ \t-])?"
    rf"[A-Z][a-zà-ÿ]*(?:{_STREET_SUFFIX})"
    r"|(?<![\w-])(?:Laan|Plein|Burgemeester|Van|De)[ \t][A-Za-z][\w ]{2,30}?"
)
_HOUSE_NUMBER = re.compile(
    r"[ \t]\d{1,5}(?:[ \t]?[a-zA-Z](?![\w]))?"
    r"(?:[ \t]?-[ \t]?(?:[A-Z]{1,3}|\d{1,3}|I{1,3}|IV|hs|bis))?"
    r"(?![\w,.]\d|\d|-\d)"
)
_KENTEKEN = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|"
    r"[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|"
    r"[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|"
    r"\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r")(?![\w-])"
)
# Written without dashes only counts after the word kenteken.
_KENTEKEN_BARE = re.compile(r"kenteken(?:nummer)?\s*:?\s*([A-Z0-9]{6})(?![\w-])", re.I)
_BIRTH_CONTEXT = re.compile(r"(?:geboren|geboortedatum|geb\.|geboorte)[^\n]{0,25}$", re.I)

# Titles before a name stay readable in the text ("de heer [PERSOON-1]").
_TITLES = re.compile(
    r"^(?:(?:de\s+)?(?:heer|mevrouw|mevr\.?|dhr\.?|mw\.?|mr\.?|mrs?\.?|drs\.?|dr\.?|ir\.?|"
    r"ing\.?|prof\.?|ds\.?|wethouder|burgemeester|raadslid|lid)\s+)+",
    re.I,
)
# Names that deduce's lookup lists miss but the context gives away: after a title
# ("heer Ait Taleb"), in a form field ("Achternaam: Kowalska") or after initials ("K. Weber").
_NAME_BODY = (
    r"(?:(?:[A-Z]\.){1,4}[ \t]?)?"
    r"(?:(?:van|de|der|den|het|ten|ter|te|el|al|da|dos|von|'t|in|A)[ \t]+)*"
    r"[A-Z][a-zà-ÿ'’]+(?:(?:[ \t]|-)(?:(?:van|de|der|den|A)[ \t]+)*[A-Z][a-zà-ÿ'’]+){0,2}"
)
_TITLE_NAME = re.compile(
    r"(?<![\w])(?:de[ \t]+heer|heer|mevrouw|mevr\.|dhr\.|mw\.|mr\.)[ \t]+"
    rf"(?P<name>{_NAME_BODY})"
)
_FORM_NAME = re.compile(
    r"(?im)^[ \t]*(?:naam(?:[ \t]+(?:aanvrager|rekeninghouder|cliënt|melder))?|achternaam|"
    r"voorna(?:am|men)|aanvrager|bezwaarmaker|indiener|cliënt|melder|partner|ondergetekende|"
    r"rekeninghouder)[ \t]*:[ \t]*"
    rf"(?P<name>{_NAME_BODY.replace('{0,2}', '{0,3}')})[ \t]*(?=$|,|\()"
)
_INITIALS_NAME = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z]\.){1,4}[ \t]?(?:(?:van|de|der|den|ten|ter|el)[ \t]+)*"
    r"[A-Z][a-zà-ÿ]{2,}(?:-[A-Z][a-zà-ÿ]+)?)"
)

# Words deduce sometimes reads as names in council documents; a "name" with one of these
# is an organisation, a place or a document type.
_NOT_NAME_WORDS = frozenset(
    {
        "gemeente", "college", "raad", "provincie", "ministerie", "stichting", "vereniging",
        "commissie", "fractie", "partij", "rijk", "nota", "voorstel", "stad", "besluit", "bijlage",
        "motie", "amendement", "agenda", "team", "afdeling", "directie", "dienst", "zuidwest",
        "noordwest", "zuidoost", "noordoost", "centrum", "haag", "holland", "b.v.", "bv",
        "n.v.", "nv", "griffie", "bezwaarcommissie", "staatscourant", "gemeenteblad", "wet",
        "artikel", "verordening", "rijksoverheid", "belastingdienst", "het", "een", "dit",
        "deze", "dat", "wij", "ik", "hij", "zij"
    }
)  # fmt: skip


# Words that are street names somewhere but mostly mean something else before a number.
_NOT_STREET_WORDS = frozenset(
    {
        "deel", "fase", "artikel", "hoofdstuk", "bijlage", "lid", "punt", "stap", "pagina",
        "versie", "nummer", "week", "jaar", "ronde", "blok", "kavel", "zone", "gebied", "sector",
        "koers", "stad", "haag", "agenda", "motie", "amendement", "besluit", "regel", "tabel",
        "figuur", "bladzijde", "categorie", "groep", "klasse", "niveau"
    }
)  # fmt: skip


# -- deduce --------------------------------------------------------------------------------

_detector: Any = None
_detector_lock = threading.Lock()
_detector_seconds: float | None = None


# deduce's lists for what our configuration never looks for (``_deduce_config``): care
# institutions, hospitals and eponymous diseases. deduce builds a lookup structure from every
# list, used or not, and the care institutions' alone is 1.8 million trie nodes: with these
# left empty in our copy deduce loads in 0.59 instead of 1.1 GB and half the time, and finds
# the same names and addresses (eval/bench_deduce.py).
_UNUSED_DEDUCE_LISTS = (
    "institutions/lst_healthcare_institution",
    "institutions/lst_hospital",
    "institutions/lst_hospital_abbr",
    "whitelist/lst_eponymous_disease",
)


def cache_folder() -> Path:
    """Where raadsinzicht keeps what it builds once per user (deduce's lookup structures)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "raadsinzicht"


def _deduce_data_dir(package_lookup: Path, version: str) -> Path:
    """A copy of deduce's lookup lists outside the virtualenv, without the ones we never
    use, so the ~40 MB structure cache deduce builds from them (a minute or more) survives
    reinstalls: deduce checks the cache against the lists' modification times, which a
    fresh install resets."""
    base = cache_folder()
    target = base / f"deduce-{version}-names-locations"
    if (target / "src").is_dir():
        return target
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".deduce-{version}-", dir=base))
    shutil.copytree(package_lookup / "src", staging / "src")
    for unused in _UNUSED_DEDUCE_LISTS:
        (staging / "src" / unused / "items.txt").write_text("", "utf-8")
    try:
        staging.rename(target)
    except OSError:  # another process was first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _deduce_config(package: Path) -> dict[str, Any]:
    config: dict[str, Any] = json.loads((package / "base_config.json").read_text("utf-8"))
    # Names and addresses only: deduce's date, age, id, url, phone and e-mail rules are for
    # medical records (they would hide decision dates and case numbers); ours are below.
    config["annotators"] = {
        name: spec
        for name, spec in config["annotators"].items()
        if spec.get("group") in {"names", "locations"}
        and name not in {"eponymous_disease", "postbus"}  # disease names; organisations' PO boxes
    }
    return config


def load_detector() -> Any:
    """The deduce instance, built once per process: a few seconds from deduce's cache, about
    80 s of one CPU to build that cache the first time (see
    ``eval/bench_deduce.py``)."""
    global _detector, _detector_seconds
    with _detector_lock:
        if _detector is not None:
            return _detector
        # deduce's lookup structures are millions of small objects. While they are built
        # or unpickled, the cyclic garbage collector would scan all of them again and
        # again, and once more at interpreter exit: with it paused and the result frozen
        # (never scanned again) a load took 2 instead of 8 s of CPU and the process exited
        # at once instead of after 20 s. They live until the process ends anyway. (gc.freeze
        # moves everything alive now to a generation that is never scanned. Cost: the first
        # build, without collections, peaked at 2.0 instead of 1.2 GB with all of deduce's lists;
        # with ours it peaks at 1.0 GB.)
        started = time.perf_counter()
        collecting = gc.isenabled()
        gc.disable()
        try:
            # deduce also turns every warning on for the whole process when it imports its
            # annotators (``warnings.simplefilter("default")``): each command then ended with
            # other libraries' ResourceWarnings on stderr. The filters are put back.
            with _root_logging_kept(), warnings.catch_warnings():
                _detector = _deduce_instance()
            gc.freeze()
        finally:
            if collecting:
                gc.enable()
        _detector_seconds = time.perf_counter() - started
        logger.info("deduce geladen in %.1f s", _detector_seconds)
        return _detector


@contextmanager
def _root_logging_kept() -> Iterator[None]:
    """deduce calls ``logging.basicConfig(DEBUG, stdout)`` on import and logs through the
    root logger while it builds its cache; each would install a root handler for good,
    after which every library's debug output reaches stdout (our --json output goes
    there), also from other threads meanwhile. With Python's own last-resort handler
    (warnings to stderr) on the root logger those calls are no-ops and nothing else
    changes; it is taken off again afterwards."""
    root = logging.getLogger()
    if root.handlers or logging.lastResort is None:  # logging was configured: leave it
        yield
        return
    root.addHandler(logging.lastResort)
    try:
        yield
    finally:
        root.removeHandler(logging.lastResort)


def _deduce_instance() -> Any:
    import deduce  # heavy: imported only when personal data must be found

    package = Path(deduce.__file__).parent
    version = importlib.metadata.version("deduce")
    try:
        data = _deduce_data_dir(package / "data" / "lookup", version)
    except OSError:  # no writable cache folder: deduce's own location
        data = package / "data" / "lookup"
    # One builder at a time: deduce writes its cache file in place.
    with (data.parent / f".{data.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        detector = deduce.Deduce(
            load_base_config=False,
            config=_deduce_config(package),
            lookup_data_path=data,
            cache_path=data,
        )
    return detector


def detector_load_seconds() -> float | None:
    """How long loading deduce took in this process (None: not loaded yet)."""
    return _detector_seconds


# -- detection -----------------------------------------------------------------------------


def find_personal_data(text: str, *, types: Collection[str] | None = None) -> list[Entity]:
    """Personal data in ``text``, in order, without overlaps. ``types`` limits the search
    (names and addresses need deduce; the other types are patterns only)."""
    wanted = set(types or ENTITY_TYPES)
    found: list[Entity] = []
    if "EMAIL" in wanted:
        found += _regex_entities(text, _EMAIL, "EMAIL")
    if "IBAN" in wanted:
        found += _ibans(text)
    if "BSN" in wanted:
        found += _bsns(text)
    if "TELEFOON" in wanted:
        found += _phones(text)
    if "KENTEKEN" in wanted:
        found += _regex_entities(text, _KENTEKEN, "KENTEKEN")
        found += _bare_kentekens(text)
    if "GEBOORTEDATUM" in wanted:
        found += _birth_dates(text)
    if wanted & {"PERSOON", "ADRES"}:
        people, places, streets = _deduce_entities(text)
        if "ADRES" in wanted:
            found += _addresses(text, streets, places, people)
        if "PERSOON" in wanted:
            found += _propagate(text, people + _context_names(text))
    # Never re-detect our own placeholders.
    taken = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    found = [e for e in found if not any(s < e.end and e.start < t for s, t in taken)]
    return _resolve(found)


_PO_BOX = re.compile(r"\b(?:postbus|antwoordnummer)\s+\d+", re.IGNORECASE)


def postal_addresses(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a postcode (with its place) or a PO box."""
    return [(m.start(), m.end()) for p in (_POSTCODE, _PO_BOX) for m in p.finditer(text)]


def contact_details(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a phone number, an e-mail address, a postcode (with its place)
    or a PO box: the numbers of a letterhead, which say nothing of a document's content."""
    found = [(e.start, e.end) for e in find_personal_data(text, types={"TELEFOON", "EMAIL"})]
    return found + postal_addresses(text)


def _regex_entities(text: str, pattern: re.Pattern[str], kind: str) -> list[Entity]:
    return [Entity(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def _ibans(text: str) -> list[Entity]:
    out = []
    for m in _IBAN.finditer(text):
        raw = m.group(0)
        length = IBAN_LENGTHS.get(raw[:2])
        if length is None:
            continue
        # The pattern may run into the next word ("... 00 EUR"): keep exactly the
        # country's length of characters.
        count, end = 0, 0
        for index, char in enumerate(raw):
            if char != " ":
                count += 1
            if count == length:
                end = index + 1
                break
        if end and iban_valid(raw[:end]):
            out.append(Entity("IBAN", m.start(), m.start() + end, raw[:end]))
    return out


def _bsns(text: str) -> list[Entity]:
    out = []
    for m in _BSN.finditer(text):
        if not elfproef(re.sub(r"\D", "", m.group(0))):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 60) : m.start()]
        # A case number that happens to pass the eleven test is not a BSN.
        if not _BSN_CONTEXT.search(before) and _NUMBER_CONTEXT.search(before):
            continue
        out.append(Entity("BSN", m.start(), m.end(), m.group(0)))
    return out


def _phone_digits(raw: str) -> str:
    """National form: +31 6 1234 5678 → 0612345678."""
    digits = re.sub(r"\(0\)", "", raw)
    digits = (
        re.sub(r"\D", "", digits)
        if not digits.lstrip().startswith("+")
        else "+" + re.sub(r"\D", "", digits)
    )
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits


def _phones(text: str) -> list[Entity]:
    out = []
    for m in _PHONE.finditer(text):
        digits = _phone_digits(m.group(0))
        service = digits[:4] in {"0800", "0900", "0906", "0909"}
        if (service and len(digits) in (8, 11)) or (len(digits) == 10 and digits[1] != "0"):
            out.append(Entity("TELEFOON", m.start(), m.end(), m.group(0)))
    return out


def _bare_kentekens(text: str) -> list[Entity]:
    out = []
    for m in _KENTEKEN_BARE.finditer(text):
        plate = m.group(1)
        if re.search(r"[A-Za-z]", plate) and re.search(r"\d", plate):
            out.append(Entity("KENTEKEN", m.start(1), m.end(1), plate))
    return out


def _birth_dates(text: str) -> list[Entity]:
    out = []
    for mention in find_dates(text):
        before = text[max(0, mention.start - 40) : mention.start]
        if _BIRTH_CONTEXT.search(before):
            out.append(Entity("GEBOORTEDATUM", mention.start, mention.end, mention.text))
    return out


def _deduce_entities(text: str) -> tuple[list[Entity], list[Entity], list[Entity]]:
    """(people, places, streets-with-numbers) as deduce annotates them."""
    if not text.strip():
        return [], [], []
    document = load_detector().deidentify(text)
    people: list[Entity] = []
    places: list[Entity] = []
    streets: list[Entity] = []
    for annotation in document.annotations:
        start, end = annotation.start_char, annotation.end_char
        value = text[start:end]
        if annotation.tag == "persoon":
            person = _clean_name(text, start, end)
            if person is not None:
                people.append(person)
        elif annotation.tag == "locatie":
            target = streets if re.search(r"\d", value) else places
            target.append(Entity("ADRES", start, end, value))
    return people, places, streets


def _clean_name(text: str, start: int, end: int) -> Entity | None:
    value = text[start:end]
    title = _TITLES.match(value)
    if title:
        start += title.end()
        value = text[start:end]
    value = value.rstrip(" .,;:")
    end = start + len(value)
    words = re.findall(r"[\w.'-]+", value.lower())
    if not value or not re.search(r"[A-ZÀ-Ý]", value) or any(w in _NOT_NAME_WORDS for w in words):
        return None
    if "\n\n" in value:  # a name does not span paragraphs
        return None
    return Entity("PERSOON", start, end, value)


def _context_names(text: str) -> list[Entity]:
    out = []
    for pattern in (_TITLE_NAME, _FORM_NAME, _INITIALS_NAME):
        for m in pattern.finditer(text):
            name = _clean_name(text, m.start("name"), m.end("name"))
            if name is not None:
                out.append(name)
    return out


def _propagate(text: str, people: list[Entity]) -> list[Entity]:
    """A name found once is personal data everywhere in the same text."""
    out = list(people)
    for name in {p.text for p in people if len(p.text) >= 4}:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            out.append(Entity("PERSOON", m.start(), m.end(), m.group(0)))
    return out


def _street_piece_ok(value: str) -> bool:
    """deduce's street lookup also knows streets called "Deel" or "Koers", and reads
    "Den Haag 2025" as a street with a number: keep what looks like an address."""
    number = re.search(r"(\d+)\D*$", value)
    if number and len(number.group(1)) == 4 and 1800 <= int(number.group(1)) <= 2100:
        return False  # a year, not a house number
    if re.match(r"0\d{3}\s?[A-Za-z]{2}\b", value):
        return False  # postcodes do not start with 0
    first = re.sub(r"^(?:de|het|van de|van het|van)\s+", "", value.strip(), flags=re.I)
    return first.split()[0].lower() not in _NOT_STREET_WORDS if first.split() else False


def _addresses(
    text: str, streets: list[Entity], places: list[Entity], people: Sequence[Entity] = ()
) -> list[Entity]:
    """Street + number, postcode + place, merged into one address where they touch."""
    pieces = [e for e in streets if _street_piece_ok(e.text)]
    weak: list[tuple[int, int]] = []  # "2020 FW" may be a year and an abbreviation
    for m in _POSTCODE.finditer(text):
        pieces.append(Entity("ADRES", m.start(), m.end(), m.group(0)))
        if 1900 <= int(m.group(0)[:4]) <= 2099 and len(m.group(0).split()) <= 2:
            weak.append((m.start(), m.end()))
    for m in _STREET.finditer(text):
        number = _HOUSE_NUMBER.match(text, m.end())
        start = m.start()
        # "Geertruida van Leeuwenhoek Kastanjelaan 31" (a letter head joined into one
        # line): the street starts after the name.
        for person in people:
            if person.start <= start < person.end < m.end():
                start = (
                    person.end
                    + len(text[person.end : m.end()])
                    - len(text[person.end : m.end()].lstrip())
                )
        if number and _street_piece_ok(text[start : number.end()]):
            pieces.append(Entity("ADRES", start, number.end(), text[start : number.end()]))
    if not pieces:
        return []
    pieces.sort(key=lambda e: (e.start, -e.end))
    merged: list[list[int]] = []
    for piece in pieces:
        if merged and piece.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], piece.end)
        else:
            merged.append([piece.start, piece.end])
    # Join parts of one address: "Kerkstraat 12, 1234 AB Amsterdam", "Dorpsstraat 45 in Zeist",
    # and the two lines of an address block.
    joinable = re.compile(r"[ \t]*(?:,|\n|[ \t](?:te|in)[ \t])?[ \t]*\Z")
    for place in sorted(places, key=lambda e: e.start):
        for span in merged:
            gap = text[span[1] : place.start]
            if place.start >= span[1] and len(gap) <= 5 and joinable.match(gap):
                span[1] = place.end
    joined: list[list[int]] = []
    for span in merged:
        if joined:
            gap = text[joined[-1][1] : span[0]]
            if len(gap) <= 4 and joinable.match(gap) and gap.count("\n") <= 1:
                joined[-1][1] = span[1]
                continue
        joined.append(span)
    return [Entity("ADRES", s, e, text[s:e]) for s, e in joined if (s, e) not in weak]


def _resolve(found: Iterable[Entity]) -> list[Entity]:
    """Drop overlaps: the more certain type wins, then the longer finding."""
    chosen: list[Entity] = []
    for entity in sorted(found, key=lambda e: (_PRIORITY[e.type], -(e.end - e.start), e.start)):
        if entity.end > entity.start and not any(
            c.start < entity.end and entity.start < c.end for c in chosen
        ):
            chosen.append(entity)
    return sorted(chosen, key=lambda e: e.start)


def mask(entity: Entity) -> str:
    """A report-safe rendering: type-dependent, never the whole value."""
    value = entity.text
    if entity.type in {"BSN", "IBAN", "TELEFOON"}:
        digits = re.sub(r"\s", "", value)
        return "*" * max(len(digits) - 3, 0) + digits[-3:]
    if entity.type == "EMAIL":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    words = value.split()
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in words)


# -- pseudonymisation ----------------------------------------------------------------------


def _key(entity_type: str, value: str) -> str:
    """What makes two spellings the same value (so they share a placeholder)."""
    if entity_type in {"BSN", "TELEFOON"}:
        return _phone_digits(value) if entity_type == "TELEFOON" else re.sub(r"\D", "", value)
    if entity_type in {"IBAN", "KENTEKEN"}:
        return re.sub(r"[^A-Z0-9]", "", value.upper())
    if entity_type == "GEBOORTEDATUM":
        dates = find_dates(value)
        return dates[0].date.isoformat() if dates else value.strip()
    if entity_type == "PERSOON":
        value = _TITLES.sub("", value.strip())
    return " ".join(re.sub(r"[^\w@.-]", " ", value.lower()).split())


PSEUDONYM_MIGRATIONS: list[Migration] = [
    # IF NOT EXISTS: mappings made before the migration table already have it.
    Migration(
        "m001_mapping",
        "CREATE TABLE IF NOT EXISTS mapping (type TEXT NOT NULL, key TEXT NOT NULL, "
        "number INTEGER NOT NULL, original TEXT NOT NULL, created TEXT NOT NULL, "
        "PRIMARY KEY (type, key), UNIQUE (type, number))",
    ),
    # The highest number purged per type: a number is never given to another value, so a
    # placeholder in an old audit record can never reveal someone else.
    Migration(
        "m002_retired_numbers",
        "CREATE TABLE retired (type TEXT PRIMARY KEY, last_number INTEGER NOT NULL)",
    ),
]


class Pseudonymizer:
    """Consistent placeholders per data directory; the mapping never leaves ``home``."""

    def __init__(self, home: Path) -> None:
        self.directory = Path(home) / "privacy"
        self.path = self.directory / "mapping.sqlite3"
        self._lock = threading.Lock()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            # Owner-only from the first byte: create folder and file before SQLite opens it.
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.directory, 0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            migrate(db, PSEUDONYM_MIGRATIONS)
            yield db

    def placeholders(self, entities: Sequence[Entity]) -> list[str]:
        """The placeholder for each entity, assigning new numbers where needed."""
        if not entities:
            return []
        out: list[str] = []
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # numbering must not race with another process
            try:
                for entity in entities:
                    key = _key(entity.type, entity.text)
                    row = db.execute(
                        "SELECT number FROM mapping WHERE type = ? AND key = ?", (entity.type, key)
                    ).fetchone()
                    if row is None:
                        (last,) = db.execute(
                            "SELECT MAX(COALESCE((SELECT MAX(number) FROM mapping WHERE type = ?"
                            "), 0), COALESCE((SELECT last_number FROM retired WHERE type = ?), 0))",
                            (entity.type, entity.type),
                        ).fetchone()
                        number = int(last) + 1
                        db.execute(
                            "INSERT INTO mapping VALUES (?, ?, ?, ?, ?)",
                            (
                                entity.type,
                                key,
                                number,
                                " ".join(entity.text.split()),
                                datetime.now(UTC).isoformat(timespec="seconds"),
                            ),
                        )
                    else:
                        number = int(row[0])
                    out.append(f"[{entity.type}-{number}]")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return out

    def purge(self, *, before: datetime) -> int:
        """Forget the values behind placeholders created before ``before`` (retention);
        their numbers are retired, never reused. Returns how many were removed."""
        if not self.path.exists():
            return 0
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO retired (type, last_number) SELECT type, MAX(number) FROM mapping"
                    " WHERE created < ? GROUP BY type ON CONFLICT (type) DO UPDATE SET "
                    "last_number = MAX(last_number, excluded.last_number)",
                    (cutoff,),
                )
                removed = db.execute("DELETE FROM mapping WHERE created < ?", (cutoff,)).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return removed

    def _known_names(self) -> list[str]:
        """Full names seen before: replaced even where detection misses them in a text."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT original FROM mapping WHERE type = 'PERSOON'").fetchall()
        return sorted({r[0] for r in rows if " " in r[0] and len(r[0]) >= 6}, key=len, reverse=True)

    def entities(self, text: str) -> list[Entity]:
        found = find_personal_data(text)
        names = self._known_names()
        if names:
            pattern = re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
            )
            found += [
                Entity("PERSOON", m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)
            ]
            found = _resolve(found)
        return found

    def pseudonymize(self, text: str) -> str:
        """``text`` with every piece of personal data replaced by its placeholder."""
        entities = self.entities(text)
        if not entities:
            return text
        parts: list[str] = []
        cursor = 0
        for entity, placeholder in zip(entities, self.placeholders(entities), strict=True):
            parts.append(text[cursor : entity.start])
            parts.append(placeholder)
            cursor = entity.end
        parts.append(text[cursor:])
        return "".join(parts)

    def reveal(self, text: str, *, only: Collection[str] | None = None) -> str:
        """Placeholders back to the original values (local display only); with ``only``,
        just those placeholders ('[PERSOON-1]', ...), the others stay as they are."""
        if not self.path.exists() or not PLACEHOLDER.search(text):
            return text
        with self._db() as db:
            rows = db.execute("SELECT type, number, original FROM mapping").fetchall()
        originals = {(t, int(n)): o for t, n, o in rows}

        def original(match: re.Match[str]) -> str:
            if only is not None and match.group(0) not in only:
                return match.group(0)
            return originals.get((match.group(1), int(match.group(2))), match.group(0))

        return PLACEHOLDER.sub(original, text)

    def pseudonymize_chunk(self, chunk: ChunkRecord) -> ChunkRecord:
        """A pseudonymised copy; span lengths follow the new text so citations still find
        their page (the copy's spans no longer match the page text: transient use only).
        Who speaks in minutes is left out: the names are the original's, and so are the
        turns' offsets."""
        chunk = dataclasses.replace(
            chunk, speaker=None, speaker_role=None, speaker_party=None, turns=[]
        )
        lengths = [end - start for _, start, end in chunk.spans]
        if not chunk.spans or sum(lengths) + 2 * (len(lengths) - 1) != len(chunk.text):
            return dataclasses.replace(chunk, text=self.pseudonymize(chunk.text))
        pieces: list[str] = []
        spans: list[tuple[int, int, int]] = []
        offset = 0
        for (page, start, _end), length in zip(chunk.spans, lengths, strict=True):
            piece = self.pseudonymize(chunk.text[offset : offset + length])
            offset += length + 2
            pieces.append(piece)
            spans.append((page, start, start + len(piece)))
        return dataclasses.replace(chunk, text="\n\n".join(pieces), spans=spans)


# -- hooks for answers and summaries ---------------------------------------------------------


def is_sensitive(settings: Settings, collections: Iterable[str]) -> bool:
    """Does a document in these collections (ingest subfolders) hold personal data that
    must not reach the model as is? The rule: a collection (or any folder level of it)
    whose name equals one of ``privacy.sensitive_collections`` or starts with one of
    ``privacy.sensitive_prefixes``, compared without case, accents or extra spaces
    ('Bezwaren', 'bezwaarschriften', 'bezwaar 2025' and 'bezwaar/2025' all count by
    default)."""
    from .access import normalise_name

    names = {normalise_name(c) for c in settings.privacy.sensitive_collections} - {""}
    prefixes = tuple({normalise_name(p) for p in settings.privacy.sensitive_prefixes} - {""})
    for collection in collections:
        for part in collection.split("/"):
            name = normalise_name(part)
            if name and (name in names or name.startswith(prefixes)):
                return True
    return False


def sensitive_hit(settings: Settings, hit: SearchHit) -> bool:
    """Whether ``hit``'s document is in a sensitive collection (also one of its files the
    user may not see)."""
    return is_sensitive(settings, [*hit.document.collections, *hit.document.withheld])


def protect_hits(
    settings: Settings, question: str, hits: list[SearchHit], filters: SearchFilters
) -> tuple[str, list[SearchHit]]:
    """When any passage comes from a sensitive collection (or the search was limited to
    one): the question and all passages pseudonymised, with one consistent mapping so the
    model can still relate them."""
    if not (
        is_sensitive(settings, filters.collections)
        or any(sensitive_hit(settings, hit) for hit in hits)
    ):
        return question, hits
    pseudonymizer = Pseudonymizer(settings.home)
    protected = [
        dataclasses.replace(
            hit,
            chunk=pseudonymizer.pseudonymize_chunk(hit.chunk),
            document=dataclasses.replace(
                hit.document, title=pseudonymizer.pseudonymize(hit.document.title)
            ),
            snippet=pseudonymizer.pseudonymize(hit.snippet),
            private=True,
        )
        for hit in hits
    ]
    return pseudonymizer.pseudonymize(question), protected


def protect_document(
    settings: Settings, catalog: Catalog, path: str, title: str, chunks: list[ChunkRecord]
) -> tuple[str, list[ChunkRecord]]:
    """Title and chunks pseudonymised when the document is in a sensitive collection (an
    indexed document's collections; a PDF on disk: the names of its folders)."""
    doc_id = chunks[0].doc_id if chunks else ""
    if doc_id:
        collections = [c for d in catalog.documents([doc_id]) for c in d.collections]
    else:
        collections = [part for part in Path(path).resolve().parent.parts if part != "/"]
    if not is_sensitive(settings, collections):
        return title, chunks
    pseudonymizer = Pseudonymizer(settings.home)
    return pseudonymizer.pseudonymize(title), [pseudonymizer.pseudonymize_chunk(c) for c in chunks]
