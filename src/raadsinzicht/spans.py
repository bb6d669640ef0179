"""Direct answers: what kind of answer a question asks for (a party, a person, a date, an
amount, a number, a Woo ground or article, a vote tally, a vote outcome) and where such
answers stand in a sentence.

Question types follow the Dutch question word ("wie", "welke partij", "wanneer",
"hoeveel", "welk bedrag", "welke grond", ...); a question of none of these types has no
direct answer line, only the quoted sentences. Span finders reuse what the project has:
``dates.find_dates``, the party list of ``metadata``, the vote outcomes of
``metadata.OUTCOMES`` and the Woo grounds of ``redact.WOO_GROUNDS``; amounts, numbers, vote
tallies and names are patterns here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from text_to_num import text2num

from .dates import MONTHS, find_dates
from .index.bm25 import stem_word, tokenize_query
from .metadata import OUTCOMES, find_parties
from .places import is_place
from .privacy import contact_details
from .wordlists import first_names, name_words

__all__ = [
    "ANSWER_TYPES",
    "FREQUENCY_STRENGTH",
    "NAMED_GROUND",
    "Span",
    "asks_person_role",
    "find_spans",
    "parties_in",
    "parties_named",
    "question_type",
    "surname",
    "surname_asked",
]

# Answer type -> Dutch label (shown before the direct answer).
ANSWER_TYPES: dict[str, str] = {
    "stemuitslag": "Stemuitslag",
    "uitkomst": "Uitkomst",
    "partij": "Partij",
    "persoon": "Wie",
    "datum": "Datum",
    "bedrag": "Bedrag",
    "percentage": "Percentage",
    "aantal": "Aantal",
    "grond": "Grond",
    "jaar": "Jaar",
    "termijn": "Termijn",
    "adres": "Adres",
    "webadres": "Webadres",
    "kenmerk": "Kenmerk",
}

_I = re.IGNORECASE
# A question for a person by office ("Welke wethouder", "Welk Kamerlid": "lid" is a
# het-word): its answer is a name, not a party.
_PERSON_ROLE = (
    r"\bwelke (?:twee |drie )?(?:raadsleden|raadslid|wethouders?|personen|persoon|bestuurders?|"
    r"(?:top)?ambtena(?:ar|ren)|secretaris-generaal|(?:stadsdeel|gemeente|staats)?secretaris|"
    r"directeur|burgemeester|griffier|voorzitter|minister|gedeputeerden?)\b|"
    r"\bwelk (?:raads|kamer|staten|commissie|fractie|bestuurs)?lid\b"
)
_IDENTIFIER_NOUN = (
    r"(?:(?:ris|olo|zaak|registratie|dossier|referentie|kamerstuk|stuk)-?nummers?|"
    r"(?:ris-?)?kenmerk(?:en)?)"
)
# First match wins: the order goes from the most to the least specific question form.
_QUESTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, _I))
    for name, pattern in (
        ("stemuitslag", r"\bstem(?:verhouding|uitslag)\b|\b(?:met )?hoeveel stemmen\b|"
                        r"\bhoeveel (?:raadsleden|leden|fracties) stemden\b"),
        ("uitkomst", r"\bwat (?:gebeurde|is er gebeurd) (?:er )?.*\bmet (?:de|het) "
                     r"[\w-]*(?:motie|amendement|voorstel)|\bwat deed\b.*\bmet (?:zijn|haar|"
                     r"hun|de|het) [\w-]*(?:motie|amendement)|\buitkomst\b|\bhoe liep\b.*\baf\b|"
                     r"^\s*(?:en\s+)?(?:is|werd|zijn|werden) .*\b(?:aangenomen|verworpen)\s*\??$"),
        ("partij", r"\b(?:welke|van welke|namens welke) (?:politieke )?(?:partij|partijen|"
                   r"fractie|fracties)\b|\bwie (?:diende|dienden|heeft|hebben) .*\b(?:motie|"
                   r"amendement)\b.*\bin(?:gediend)?\b|\bwie (?:is|zijn|was|waren) (?:de )?"
                   r"indieners?\b"),
        ("grond", r"\b(?:welke|op welke) (?:(?:woo|wob)-?)?(?:weigerings|uitzonderings)?"
                  r"gronde?n?\b|"
                  r"\bop grond van welk\b|\b(?:welk|op welk|van welk) artikel\b|"
                  r"\bwelke (?:wets)?artikel(?:en)?\b"),
        ("datum", r"\bwanneer\b|\b(?:op|per|vanaf|tot|naar|sinds) welke datum\b|"
                  r"\bwelke (?:datum|dagtekening)\b|\bop welke dag\b|"
                  r"\bwat (?:is|was) de (?:datum|dagtekening)\b"),
        ("jaar", r"\b(?:in |van |vanaf |tot )?welk jaar\b"),
        ("webadres", r"\b(?:welk|welke|op welk|via welk|naar welk) (?:web|internet|e-?mail)"
                     r"adres(?:sen)?\b|\b(?:welke|op welke|via welke|naar welke) (?:website|"
                     r"webpagina|webpage|site|url|link)\b"),
        ("adres", r"\b(?:welk|welke|op welk|voor welk|over welk) (?:adres|adressen|perceel)\b"),
        # A document's or case's number: "Welk RIS-kenmerk heeft de brief …?", "Onder welke
        # registratienummers …?", "Welk Kamerstuknummer …?", "Wat is het zaaknummer …?".
        ("kenmerk", rf"\b(?:welk|welke|onder welke?|met welk|wat (?:is|was|zijn|waren) "
                    rf"(?:het|de))\s+(?:ons\s+)?{_IDENTIFIER_NOUN}\b"),
        ("percentage", r"\bwelk (?:percentage|aandeel)\b|\bhoeveel procent\b|"
                       r"\bhoe hoog (?:is|was) de opkomst\b"),
        ("bedrag", r"\bwelk(?:e)? (?:bedrag|maximumbedrag|(?:kosten)?vergoeding|budget|tarief|"
                   r"(?:spaar)?tegoed|vermogen|inkomen|prijs|huur|bijdrage|subsidie|boete|"
                   r"(?:voordelig|nadelig|negatief|positief) resultaat)\b|"
                   r"\bmet welk (?:voordelig|nadelig|negatief|positief)? ?resultaat\b|"
                   r"\bhoeveel (?:geld|euro|kost|kostte|kosten|subsidie|leges|"
                   r"(?:nadeel)?compensatie|(?:schade)?vergoeding|tegemoetkoming|dwangsom|"
                   r"boete)\b|\bwat kost|"
                   r"\bwat (?:heeft|hebben) [^?]*\bgekost\b"
                   r"|(?:\bhoe(?:veel)? hoog (?:is|was|zijn|waren)|\bwat (?:is|was|wordt|zijn|"
                   r"waren) de hoogte van) (?:de|het) (?:bedrag|kosten|"
                   r"subsidie|budget|(?:last onder )?dwangsom|boete|leges|(?:schade)?vergoeding|"
                   r"voorschot|bijdrage|tegemoetkoming|(?:nadeel)?compensatie|investering|"
                   r"huur|prijs|premie|uitkering)\b|"
                   r"\bmaximumbedrag\b|\bhoeveel bedraagt\b"),
        # A period in law or procedure ("Binnen welke termijn kan beroep worden ingesteld?",
        # "Wat is de beslistermijn?"): its answer is a duration ("zes weken").
        ("termijn", r"\b(?:binnen |na |in |gedurende )?welke termijn\b|"
                    r"\b(?:wat|hoe lang) (?:is|was|zijn|geldt) (?:de|het) (?:wettelijke )?"
                    r"(?:bezwaar|beroeps?|beslis|reactie|verdagings|uitstel|inzage)?termijn\b"),
        ("aantal", r"\bhoeveel\b|\bhoe vaak\b|\bhoe (?:hoog|groot|lang|breed|diep|zwaar|ver)\b|"
                   r"\btot hoeveel\b|\bwelk (?:maximum|aantal)\b|\bwelke hoeveelheid\b|"
                   r"\bbinnen hoeveel\b|"
                   r"\bwat is (?:de|het) (?:maximale|minimale|totale|hoogste|laagste)\b"),
        ("persoon", r"^\s*(?:en\s+)?wie\b|\bwie (?:is|zijn|was|waren|heeft|hebben|werd|"
                    rf"werden)\b|{_PERSON_ROLE}|\bnamens wie\b|\bdoor wie\b"),
    )
)  # fmt: skip


_WORDS = re.compile(r"[^\W\d_]{3,}")
_OPEN_QUESTION = re.compile(
    r"^\s*(?:waarom|hoe (?:wil|kan|kon|moet|zal|wordt|werd|gaat)|"
    r"wat (?:is|zijn|was|waren) (?:de )?(?:reden|redenen|doel)\b)",
    _I,
)


# "Welke gronden voert de bezwaarmaker aan?": the grounds of an objection or appeal are its
# arguments, answered by sentences, not by a Woo ground or an article.
_ARGUMENTS_ASKED = re.compile(
    r"\b(?:bezwaar|beroeps?)gronden\b|\bgronden van (?:het |de |zijn |haar |hun )?"
    r"(?:bezwaar|beroep)|\bgronden?\b[^?]*\b(?:aangevoerd|aanvoert|aanvoeren|voert|voerde|"
    r"voerden|voeren)\b|"
    # "Op welke gronden is bezwaar gemaakt tegen …?", "… maakt X bezwaar?"
    r"\bgronden?\b[^?]*\b(?:bezwaar|beroep)\b[^?]*\b(?:gemaakt|maakt|maakte|maakten|"
    r"aangetekend|ingesteld|ingediend)\b|\bgronden?\b[^?]*\b(?:maakt|maakte|maakten|tekende|"
    r"tekenden)\b[^?]*\b(?:bezwaar|beroep)\b",
    _I,
)


def _typed_by(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The first of _QUESTION_TYPES whose pattern ``question`` matches, with that pattern."""
    if _OPEN_QUESTION.search(question) or _ARGUMENTS_ASKED.search(question):
        return None
    return next(((n, p) for n, p in _QUESTION_TYPES if p.search(question)), None)


_PERSON_ROLE_ASKED = re.compile(_PERSON_ROLE, _I)


def asks_person_role(question: str) -> bool:
    """Does ``question`` ask for a person by office ("Welk raadslid …?"): a party does
    not answer it, as it may answer "Wie diende … in?"."""
    return _PERSON_ROLE_ASKED.search(question) is not None


def question_type(question: str) -> str | None:
    """The kind of direct answer ``question`` asks for, or None (explain/open questions)."""
    typed = _typed_by(question)
    return typed[0] if typed else None


_WH_WORD = re.compile(r"\b(?:wie|wat|welke?|waar\w*|wanneer|waarom|hoe\w*|namens|door wie)\b", _I)


def leading_question_type(question: str) -> str | None:
    """``question_type``, but only when the type's words are in the question's own
    wh-phrase (its first question word and at most three words after it): "Welk belang …
    als openbaar werd hoeveel zij kregen?" asks for an interest, not for a number."""
    typed = _typed_by(question)
    if typed is None:
        return None
    kind, pattern = typed
    first = _WH_WORD.search(question)
    if first is None:
        return kind
    for match in pattern.finditer(question):
        between = question[first.end() : match.start()]
        # In the wh-phrase: "hoeveel", "Met welke stemverhouding", "Wat is het bedrag".
        if match.start() <= first.start() < match.end() or (
            match.start() >= first.end() and len(between.split()) <= 3 and "," not in between
        ):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str  # the answer as shown (a party's canonical name; otherwise verbatim)
    strength: int = 1  # higher: a more typical answer of this type (used to choose)


_NUMBER = r"\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = r"(?:\s?(?:mln\.?|miljoen|miljard|mld\.?|mrd\.?|duizend|k))?"
_ONE_AMOUNT = rf"€\s?(?:{_NUMBER}){_SCALE}(?:,-)?|(?:{_NUMBER}){_SCALE}(?:,-)?\s?(?:euro|EUR)\b"
# A range is one answer: "€0,4-€0,5 miljoen", "€ 1.000.000,- tot maximaal 1.500.000,- euro".
_AMOUNT = re.compile(
    rf"(?:(?:€\s?)?(?:{_NUMBER}){_SCALE}(?:,-)?\s?(?:-|–|tot(?: maximaal)?)\s?)?(?:{_ONE_AMOUNT})",
    _I,
)
_PERCENTAGE = re.compile(rf"(?:{_NUMBER})\s?(?:%|procent\b)", _I)
_APPROX = r"(?:(?:ca\.|circa|ongeveer|bijna|ruim|maximaal|minimaal|zo'n|meer dan|minder dan)\s)?"
_UNIT = (
    r"(?:\s?%|\s?(?:x\s?\d+\s?uur|m²|m2|m3|km²|km2|vierkante meter|kilometer|meter|km|cm|GWh|"
    r"TWh|MWh|MW|kWh|kW|PJ|ha|hectare|uur|minuten|dagen|weken|maanden|jaar|personen|mensen|woningen|"
    r"documenten|stemmen|procent)\b)?"
)
# "1,25 miljoen mensen": the scale word belongs to the count.
_COUNT_SCALE = r"(?:\s(?:miljoen|miljard)\b)?"
# Not a number inside a dotted code: a Woo ground ("10.2e", "5.1.2e") or a section ("4.3"),
# nor a piece of "10:3" (an article of the Awb) or "14:30" (a time).
_COUNT = re.compile(
    rf"{_APPROX}(?<![\w.,/:-])(?:{_NUMBER}){_COUNT_SCALE}{_UNIT}(?![\w/-]|[.:]\d)", _I
)
# A Dutch number word, also a compound ("twaalf", "negenduizend", "drieëntwintig"): any
# word here, kept only when ``number_word_value`` reads it as a number. Frequencies first:
# "een keer per week" is one, and "een" on its own is no number word.
_COUNT_WORD = re.compile(
    r"\b(?:\d+\s?x|eens|één keer|een keer|twee keer|drie keer)\s(?:per|in de|per de)\s"
    r"(?:dag|week|maand|kwartaal|jaar)\b|"
    # "vijf jaar": the unit belongs to the answer; another noun only marks the number.
    # Not before a pronoun or conjunction: "hoe realistisch hij de kans acht dat …" is the
    # verb "achten", "… die vier het feest" the verb "vieren".
    rf"\b{_APPROX}(?P<word>[^\W\d_]+)(?:\s\(\d+\))?(?:\s(?:jaar|maanden|weken|dagen|uur|"
    r"minuten|keer|procent)\b|\s(?=(?!(?:dat|het|dit|deze|die|hem|haar|zich|zij|wij|men|"
    r"ons|hen|niet|wel|ook|nog|dan|als|omdat|zodat)\b)[a-zà-ÿ]{3,}))",
    _I,
)
# How often: "eens per kwartaal", "1x per week", "twee keer per jaar", "wekelijks".
_FREQUENCY = re.compile(
    r"\b(?:(?:\d+\s?(?:x|keer|maal)|eens|(?:één|een|twee|drie|vier|vijf|zes)\s?(?:keer|maal))"
    r"\s(?:per|in de|elke|iedere)\s(?:dag|week|maand|kwartaal|jaar|halfjaar|twee weken|"
    r"vergadering)|(?:twee|drie|vier|half)?(?:dage|weke|maande|kwartaal|jaar)lijks|"
    r"(?:elke|iedere) (?:dag|week|maand|kwartaal|jaar|vergadering))\b",
    _I,
)
_ASKS_FREQUENCY = re.compile(r"\bhoe (?:vaak|dikwijls)\b|\bhoeveel (?:keer|maal)\b", _I)
# "Hoe lang …?" mostly asks how long in time ("drie maanden", "acht jaar"): a count of
# days, weeks, months or years answers it more typically than other numbers around it.
_ASKS_DURATION = re.compile(r"\bhoe lang\b", _I)
_DURATION = re.compile(r"\b(?:uur|minuten|dagen|weken|maanden|jaar|jaren)$", _I)
FREQUENCY_STRENGTH = 5  # above any count's: the one answer form of "hoe vaak"
# Bare: digits alone, or a number word (with its unit: "zes weken" is a stock phrase of
# deadlines, a typical answer only next to what the question counts).
_BARE_NUMBER = re.compile(rf"[\d\s.,]+|{_APPROX}(?P<word>[^\W\d_]+)(?:\s\(\d+\))?(?:\s\w+)?\s*", _I)
# "30 tegen 14 stemmen", "30 stemmen voor en 14 tegen", "22 stemmen voor"; "1 en 2" (of
# "bijlage 1 en 2") and "1 voor" (of "programma 1 voor een fonds") are no tallies.
_TALLY = re.compile(
    r"\b\d{1,3}\s+(?:stemmen\s+)?(?:voor\s+)?tegen\s+\d{1,3}(?:\s+(?:stemmen\s+)?tegen)?\b|"
    r"\b\d{1,3}\s+(?:stemmen\s+)?voor\s+en\s+\d{1,3}(?:\s+(?:stemmen\s+)?tegen)?\b|"
    r"\b\d{1,3}\s+(?:stemmen\s+en\s+\d{1,3}\s+stemmen|en\s+\d{1,3}\s+(?:stemmen\s+)?tegen)\b|"
    r"\b\d{1,3}\s+stemmen\s+voor\b(?:\s*(?:,|en)\s*\d{1,3}\s+(?:stemmen\s+)?tegen\b)?|"
    r"\b\d{1,3}\s+voor\s*,\s*\d{1,3}\s+(?:stemmen\s+)?tegen\b",
    _I,
)
# Not in a code ("34417-(R2068)" is a bill's number) or a number ("2.019,50"); at a
# sentence's end, before its full stop, it is a year.
_YEAR = re.compile(r"(?<![\w.,-])(?:19|20)\d\d(?![\d-]|[.,]\d)")
_ADDRESS = re.compile(
    r"\b(?:[A-ZÀ-Ý][\wà-ÿ'’-]*\s+){0,2}[A-ZÀ-Ý]?[\wà-ÿ'’-]*(?:straat|weg|laan|plein|dijk|"
    r"pad|kade|gracht|singel|dreef|hof|park|markt|boulevard|steeg|wal|burgwal|plantsoen|"
    r"Pad|Weg|Straat|Laan|Plein)\s+\d+(?:\s?-?\s?[A-Za-z]\b|-\d+)?"
)
# The number after its label ("OLO-nummer 3210991", "kenmerk DSO/10674767", "Zaaknummer:
# 297473", "Ons kenmerk Z/18/301688-108938"), a RIS number ("RIS319429", "RIS 322212"), a
# Kamerstuk's after a bill's title ("Samenvoeging van de gemeenten … - 31817").
_IDENTIFIER = re.compile(
    r"(?:\b(?:ris|olo|zaak|registratie|dossier|referentie|document|kamerstuk|stuk|besluit)-?"
    r"(?:nummer|nr\.?)s?|\b(?:ris-?)?kenmerk(?:en)?)[ \t]*:?[ \t]*"
    r"(?P<value>[A-Z]{0,8}[/.-]?\d(?:[\w/.-]*\w)?)|"
    r"\b(?P<ris>RIS[ \t-]?\d{5,7})\b|"
    r"\s[-–]\s(?P<bill>\d{5}(?:-[A-Z0-9]{1,4})?)\b(?![.,]\d)",
    _I,
)


def _identifiers(sentence: str) -> list[Span]:
    """The numbers ``_IDENTIFIER`` finds, without their labels."""
    return [
        Span(m.start(group), m.end(group), m[group], 2)
        for m in _IDENTIFIER.finditer(sentence)
        for group in ("value", "ris", "bill")
        if m[group]
    ]


# A web or e-mail address: "mijn.rvo.nl/bezwaar", "www.denhaag.nl", "woo@denhaag.nl".
_WEB_ADDRESS = re.compile(
    # Any scheme's or "www." address, whatever its domain ("https://archief.amsterdam/…").
    r"\b(?:https?://|www\.)[^\s,;)\]]*[^\s,;)\].]|"
    r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|"
    r"\b(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:nl|com|org|eu|net|info|gov|be)\b"
    r"(?:/[^\s,;)\]]*[^\s,;)\].])?",
    _I,
)
_OUTCOME = re.compile(rf"\b({'|'.join(OUTCOMES)}|(?:de )?stemmen staken)\b", _I)
# An article's member: "tweede lid", "lid 2", ", onder g", "aanhef en onder e en g".
_MEMBER = (
    r"(?:,?\s+(?:(?:eerste|tweede|derde|vierde|vijfde|\d+e)\s+lid|lid\s+\d+))?"
    r"(?:,?\s+(?:aanhef\s+en\s+)?(?:onder|sub)\s+[a-z]\b(?:(?:,\s*|\s+(?:en|of)\s+)[a-z]\b)*)?"
)
_ARTICLE = re.compile(
    # "artikelen 10 en 11 van de Wob", "artikel 5.1, 5.2 of 5.3" are one ground; a comma
    # before "2e lid" starts the member, not another article.
    r"\bartikel(?:en)?\s+\d+(?:[.:]\d+)*[a-z]?\b"
    r"(?:(?:,\s*|\s+(?:en|of|t/m|tot en met)\s+)\d+(?:[.:]\d+)*[a-z]?\b(?!\s+lid))*"
    + _MEMBER
    # "de artikelen 10 tweede lid, onder g, en 11 van de Wob": the next article after a
    # member, where a reference's punctuation, member or law follows it.
    + r"(?:,?\s+(?:en|of)\s+\d{1,3}(?:[.:]\d+)*[a-z]?\b"
    r"(?=\s*(?:[,.;)]|$|\s+(?:van|lid|eerste|tweede|derde|vierde|vijfde|\d+e|onder|sub)\b))"
    + _MEMBER
    + r")*"
    r"(?:,?\s+(?:van\s+de\s+)?(?:Woo|Wob|Awb|Grondwet|Gemeentewet|APV|Aanbestedingswet(?:\s+2012)?|"
    # "Wet milieubeheer", "Wet openbaarheid van bestuur", "Wet open overheid": whole words.
    r"Wet\s+(?:open\s+overheid|[\w-]+(?:\s+(?:van|op|de|het|en|tot|inzake)\s+[\w-]+)*)))?|"
    r"\b\d+:\d+[A-Za-z]?\b|"
    # The codes on blacked-out passages: Woo "5.1.2.e", "5.2", Wob "10.2.a", "11.1".
    r"\b(?:5\.[12]|1[01]\.[12])(?:\.\d)?(?:\.?\s?[a-i])?\b",
    _I,
)
# The interests a Woo (art. 5.1, 5.2) or Wob (art. 10, 11) refusal names, in the words
# decisions use: "de veiligheid van de Staat", "onevenredige benadeling", ...
NAMED_GROUND = re.compile(
    r"\b(?:eenheid\s+van\s+de\s+Kroon|veiligheid\s+van\s+de\s+Staat"
    r"|(?:vertrouwelijk\s+(?:aan\s+de\s+overheid\s+)?(?:verstrekte\s+|meegedeelde\s+)?)?"
    r"bedrijfs-\s+en\s+fabricagegegevens|bijzondere\s+persoonsgegevens"
    r"|(?:nationale\s+)?identificatienummers"
    r"|betrekkingen\s+van\s+Nederland\s+met\s+(?:andere\s+staten|internationale\s+organisaties)"
    r"(?:\s+en\s+(?:met\s+)?(?:andere\s+staten|internationale\s+organisaties))?"
    r"|economische\s+of\s+financi[eë]le\s+belangen\s+van\s+de\s+Staat"
    r"|opsporing\s+en\s+vervolging\s+van\s+strafbare\s+feiten"
    r"|inspectie,\s+controle\s+en\s+toezicht"
    r"|(?:eerbiediging\s+van\s+de\s+)?persoonlijke\s+levenssfeer"
    r"|bescherming\s+van\s+het\s+milieu|beveiliging\s+van\s+personen(?:\s+en\s+bedrijven)?"
    r"|(?:het\s+)?goed\s+functioneren\s+van\s+de\s+Staat"
    r"|onevenredige\s+(?:bevoordeling\s+of\s+)?benadeling"
    r"|persoonlijke\s+beleidsopvattingen)\b",
    _I,
)
# Names: capitalised words with Dutch particles, optionally after a title.
_TITLE = r"(?:mevrouw|mevr\.|mw\.|de heer|dhr\.|wethouder|burgemeester|raadslid|minister|staatssecretaris|gedeputeerde)"  # noqa: E501
_NAME_WORD = r"[A-ZÀ-Ý][\wà-ÿ'’.-]*"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|la|le|du)"
_PARTICLE_WORD = re.compile(_PARTICLE, _I)
_NAME = re.compile(
    rf"(?:\b{_TITLE}\s+)?{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,3}}{_NAME_WORD}){{0,3}}"
)
_NOT_NAMES = frozenset(
    [
        "De",
        "Het",
        "Een",
        "Dit",
        "Deze",
        "Die",
        "Dat",
        # Labels before a name: "Indiener: Lesley Arp, SP".
        "Indiener",
        "Indieners",
        "In",
        "Op",
        "Om",
        "Met",
        "Voor",
        "Van",
        "Bij",
        "Na",
        "Namens",
        "Volgens",
        "Als",
        "Wat",
        "Wie",
        "Welke",
        "Hoe",
        "Er",
        "Ook",
        "Zij",
        "Hij",
        "Wij",
        "Ik",
        "U",
        "Uw",
        # Pronouns and words that open a spoken sentence in minutes ("Mijn Turks is niet
        # zo goed", "Graag een reactie").
        "We",
        "Je",
        "Jij",
        "Jullie",
        "Men",
        "Mijn",
        "Onze",
        "Ons",
        "Zijn",
        "Haar",
        "Hun",
        "Maar",
        "En",
        "Dus",
        "Want",
        "Dan",
        "Nu",
        "Graag",
        "Dank",
        "Indien",
        "Daarnaast",
        "Tevens",
        "Verder",
        "Gelet",
        "Gezien",
        "Overwegende",
        "Constaterende",
        "Verzoekt",
        "Besluit",
        "Motie",
        "Amendement",
        "College",
        "Raad",
        "Gemeente",
        "Januari",
        "Februari",
        "Maart",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Augustus",
        "September",
        "Oktober",
        "November",
        "December",
        "Maandag",
        "Dinsdag",
        "Woensdag",
        "Donderdag",
        "Vrijdag",
        "Zaterdag",
        "Zondag",
        "Ja",
        "Nee",
        "Artikel",
        "Pagina",
        "Bijlage",
    ]
)


_REFERENCE_BEFORE = re.compile(
    r"\b(?:artikel|art\.|lid|hoofdstuk|paragraaf|bijlage|pagina|blz\.|nr\.|nummer|"
    r"onderdeel|motie|amendement|agendapunt|punt|bladzijde|figuur|tabel|fase|week|"
    # "de document 1 tot en met 277 openbaar": an inventory's number.
    r"documenten|document)\s*$|"
    # A publication's number: "Gemeenteblad 2020, 176762", "Staatscourant 2019, nr. 12".
    r"\b(?:gemeenteblad|provinciaal blad|staatscourant|staatsblad|waterschapsblad)"
    r"\s+(?:19|20)\d\d,?\s*$",
    _I,
)
# Scale words name no count on their own ("1,25 miljoen" is read with its digits).
_NOT_NUMBER_WORDS = frozenset({"een", "miljoen", "miljard"})  # "een": mostly the article


@lru_cache(maxsize=8192)
def number_word_value(word: str) -> int | None:
    """The number a Dutch number word names ("twee" 2, "negenduizend" 9000,
    "eenentwintig" 21; text2num reads the compounds), else None."""
    lower = word.lower()
    if lower in _NOT_NUMBER_WORDS or not lower.isalpha():
        return None
    try:
        return int(text2num(lower, "nl"))
    except ValueError:
        return None


def _is_number_word_match(match: re.Match[str] | None) -> bool:
    """A match of ``_COUNT_WORD`` or ``_BARE_NUMBER`` whose word, if any, is a number."""
    if match is None:
        return False
    word = match.group("word")
    return word is None or number_word_value(word) is not None


def _is_bare_number(text: str) -> bool:
    return _is_number_word_match(_BARE_NUMBER.fullmatch(text))


def _numbers_in(text: str) -> set[str]:
    """The numbers ``text`` names, as digits ("twee" and "2" are the same number)."""
    found = {re.sub(r"\D", "", m.group()) for m in re.finditer(_NUMBER, text)}
    values = (number_word_value(w) for w in re.findall(r"[^\W\d_]+", text))
    return found | {str(value) for value in values if value is not None}


# "€ 2,500,-" in a scan: OCR read the thousands point as a comma. An amount in whole euros
# (",-" after it) has no decimals, so its "2,500" is two thousand five hundred.
_MISREAD_THOUSANDS = re.compile(r"(€\s?)?([1-9]\d{0,2}),(\d{3})")
_WHOLE_EUROS_AFTER = re.compile(r",\s?[”\"'’]?\s?[-–]")


def _whole_euros(span: Span, sentence: str) -> Span:
    """``span`` as a Dutch reader reads it when OCR misread its thousands point."""
    misread = _MISREAD_THOUSANDS.fullmatch(span.text)
    if misread is None or not _WHOLE_EUROS_AFTER.match(sentence, span.end):
        return span
    euro, thousands, units = misread.groups()
    return replace(span, text=f"{euro or ''}{thousands}.{units}")


def _address_reach(sentence: str, address: re.Match[str]) -> tuple[int, int]:
    """Where a web address stands in ``sentence``: in a table row ("|…|…|"), the rest of
    its cell."""
    if "|" in sentence:
        cell_end = sentence.find("|", address.end())
        return address.start(), len(sentence) if cell_end < 0 else cell_end
    return address.start(), address.end()


def _spans(
    pattern: re.Pattern[str], sentence: str, strength: int = 1, *, number_words: bool = False
) -> list[Span]:
    """``pattern``'s matches; with ``number_words``, only those whose word is a number."""
    return [
        Span(m.start(), m.end(), m.group().strip(), strength)
        for m in pattern.finditer(sentence)
        if m.group().strip() and (not number_words or _is_number_word_match(m))
    ]


# Capitalised words that name a thing, not a person: "Programma Ondergrond", "Haga-complex
# Sportlaan" (a compound with a lower-case part, a street; "Jansen-de Vries" is a name), a
# body ("Ministeriële Commissie Crisisbeheersing", "directie Juridische Zaken",
# "Adviescommissie"), a building ("Eschermuseum").
_THING_WORD = re.compile(
    r"^(?:Programma|Plan|Visie|Nota|Notitie|Regeling|Verordening|Fonds|Wet|Besluit|Beleid|"
    r"Agenda|Actieplan|Project|Rapport|Brief|Raadsvoorstel|Bijlage|Hoofdstuk|Paragraaf|"
    r"Voorstel|Motie|Amendement|"
    r"Commissie|Ministerie|Ministerraad|Gemeente|Provincie|Stichting|Vereniging|Dienst|"
    r"Directie|Afdeling|College|Zaken|Raad|Kamer|Staten|Rechtbank|Inspectie|Autoriteit|"
    r"Belastingdienst|Politie|Kamerstukken|Kamerstuk|Handelingen|Staatscourant|Staatsblad|"
    r"Gemeenteblad)$|"
    rf"-(?!{_PARTICLE}(?:$|\s))[a-zà-ÿ]|"
    r"(?:straat|laan|weg|plein|kade|gracht|dijk|singel|museum|park|kerk|school|centrum|"
    r"stadion|theater|ziekenhuis|station|haven|gebouw|commissie|bureau|dienst|besluit|"
    r"nota|verordening|regeling|programma)$"
)
# Initials before a surname ("M.E. Goldbach", "F. Teeven"): as sure a person as a title.
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}$")


_SURNAME_WORD = re.compile(r"\[[A-Z]+-\d+\]|[^\W\d_]+")


def surname(name: str) -> str | None:
    """The last word of a person's name before any bracket ("Lesley Arp (SP), mede
    ingediend door …" → "Arp"); a placeholder ("[PERSOON-3]") is a word."""
    words = _SURNAME_WORD.findall(name.split("(")[0])
    return words[-1] if words else None


def surname_asked(name: str, asked_words: set[str]) -> bool:
    """Is ``name`` the question's own person, by surname ("Namens welk raadslid diende
    Partiman … mede in?" is not answered by Kavish Partiman)? ``asked_words``: the
    question's words, lower case."""
    last = surname(name)
    return last is not None and len(last) >= 4 and last.lower() in asked_words


# Nothing, or the end of a sentence, before a match: a capital there proves no name.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)$")


def _defines_abbreviation(sentence: str, start: int, end: int) -> bool:
    """Is ``sentence[start:end]`` an abbreviation in brackets after what it abbreviates:
    "Adviescommissie bezwaarschriften (Acb)", not the name in "De eigenaar (Staedion)"?
    Its letters, in order, from the start of one of the words before it."""
    short = sentence[start:end].lower()
    if not (sentence[start - 1 : start] == "(" and sentence[end : end + 1] == ")"):
        return False
    if len(short) > 6:
        return False
    before = sentence[max(0, start - 80) : start - 1].lower()
    for word in re.finditer(r"\w+", before):
        if word.group()[0] == short[0]:
            rest = iter(before[word.start() :])
            if all(letter in rest for letter in short):
                return True
    return False


def _names(sentence: str, question: str) -> list[Span]:
    asked = question.lower()
    asked_words = set(re.findall(r"\w+", asked))
    spans: list[Span] = []
    for match in _NAME.finditer(sentence):
        words = match.group().split()
        # "collega Van Esch": inside a sentence a capitalised particle begins a surname.
        particle = (
            len(words) > 1
            and _PARTICLE_WORD.fullmatch(words[0]) is not None
            and not _SENTENCE_START.search(sentence[: match.start()])
        )
        while words and words[0] in _NOT_NAMES and not particle:
            words = words[1:]
        # "het" is a surname's particle only after "van" ("Van het Hof"): "I. het Haags
        # beleidskader" is a list item, not a name.
        for position, word in enumerate(words[1:], start=1):
            if word.lower() == "het" and words[position - 1].lower() != "van":
                words = words[:position]
                break
        # "Caroline Verduin\nD66" under a motion: the party after the name is not in it.
        while len(words) > 1 and find_parties(words[-1]):
            words = words[:-1]
        if not words or all(w.rstrip(".,") in _NOT_NAMES for w in words):
            continue
        if len(words) == 1 and re.fullmatch(rf"{_TITLE}|meneer", words[0].rstrip(".,"), _I):
            continue  # "Mevrouw [PERSOON-177] is afwezig": a title alone names nobody
        if any(_THING_WORD.search(w.rstrip(".,;:")) for w in words):
            continue
        if any(char.isdigit() for word in words for char in word):
            continue  # an agenda item ("I.3 Voorstel van het college …"), not a name
        if len(words) == 1 and _defines_abbreviation(sentence, match.start(), match.end()):
            continue
        text = " ".join(words).rstrip(".,;:")
        if len(text) < 3 or text.lower() in asked:
            continue
        # The question's own words after a title are no name: "de wethouder Financiën"
        # does not answer "Wie is de wethouder van financiën?".
        untitled = re.sub(rf"^{_TITLE}\s+", "", text, flags=_I)
        if set(re.findall(r"\w+", untitled.lower())) <= asked_words:
            continue
        if surname_asked(untitled, asked_words):
            continue
        start = match.start() + match.group().index(words[0])
        titled = re.match(_TITLE, match.group(), _I) is not None
        initials = len(words) > 1 and _INITIALS.match(words[0]) is not None
        if len(words) > 1 and not (titled or initials) and not _known_name(words):
            continue  # "Reikwijdte Haags", "GR van de VRH": capitalised words, nobody's name
        if titled or initials:
            spans.append(Span(start, start + len(text), text, 3))
            continue
        # "Coen Bom Damiën Zeller" on a motion's signature row: two people.
        at = start
        for person in _people(words):
            named = " ".join(person).rstrip(".,;:")
            at = sentence.index(person[0], at)
            spans.append(Span(at, at + len(named), named, 2 if len(person) > 1 else 1))
            at += len(named)
    return spans


def _people(words: Sequence[str]) -> list[Sequence[str]]:
    """``words`` split where a new person's first name follows a surname ("Coen Bom" |
    "Damiën Zeller"); not between two first names ("Jan Peter Balkenende")."""
    firsts = first_names()
    people: list[Sequence[str]] = []
    begin = 0
    for index in range(2, len(words) - 1):
        before = words[index - 1]
        if (
            words[index] in firsts
            and before not in firsts
            and not _PARTICLE_WORD.fullmatch(before)
            and index - begin >= 2
        ):
            people.append(words[begin:index])
            begin = index
    people.append(words[begin:])
    return people


def _known_name(words: Sequence[str]) -> bool:
    """Does one of ``words`` (or a part of a double surname), a particle aside, stand in
    deduce's lists of first names and surnames? Without those lists, every one does."""
    known = name_words()
    parts = (part for word in words for part in re.split(r"[-’']", word.strip(".,;:()")))
    return not known or any(part in known and not _PARTICLE_WORD.fullmatch(part) for part in parts)


# Units that are things of their own, with the word parts a question names them by: "16
# stemmen" counts votes, whatever the sentence is about. (People, "mensen" and "personen",
# answer many ways of asking: "inwoners", "deelnemers", "bezoekers".)
_THING_UNITS = {
    "woningen": ("wonin", "woon", "huis", "huiz", "appartement"),
    "stemmen": ("stem",),
    "documenten": ("document", "stuk"),
    "mensen": (
        "mens", "person", "inwoner", "bewoner", "bezoeker", "deelnemer", "burger", "huurder",
        "student", "jongere", "kind", "ouder", "leden", "lid", "medewerker", "hagenaar",
    ),
}  # fmt: skip
_THING_UNIT = re.compile(rf"\s({'|'.join(_THING_UNITS)})$", _I)
_NEXT_THING = re.compile(rf"\s*({'|'.join(_THING_UNITS)})\b", _I)


def _counts_other(span: Span, question: str, sentence: str = "") -> bool:
    """Does the span count a thing the question does not speak of ("16 stemmen" for
    "Hoeveel inwoners …?", "maximaal acht mensen" for "Hoeveel woningen …?")? A question
    word holding one of the unit's parts speaks of it ("stemden", "woningbouw", "huizen")."""
    words = [word.lower() for word in _WORDS.findall(question)]

    def speaks_of(unit: str) -> bool:
        return any(part in word for word in words for part in _THING_UNITS[unit.lower()])

    unit = _THING_UNIT.search(span.text)
    if unit is not None:
        return not speaks_of(unit.group(1))
    # The word after the number, when the question counts another of these things.
    following = _NEXT_THING.match(sentence, span.end)
    return (
        following is not None
        and not speaks_of(following.group(1))
        and any(speaks_of(other) for other in _THING_UNITS)
    )


_TIME_WORDS = ("uur", "uren", "minuten", "dag", "dagen", "week", "weken", "maand", "maanden")
_TIME_STEMS = frozenset(stem_word(word) for word in (*_TIME_WORDS, "jaar", "jaren")) - {""}


_RATIO_WORD = r"(?:\d+|een|één|twee|drie|vier|vijf|tien)"
_RATIO_BEFORE = re.compile(rf"\b{_RATIO_WORD}\s+op\s+(?:de\s+)?$", _I)
_RATIO_AFTER = re.compile(rf"\s+op\s+de\s+{_RATIO_WORD}\b", _I)
# "Op 15 mei trekt stadsdeel Zuid …": a day of a month (a date without its year), no count.
_MONTH_AFTER = re.compile(rf"\s+(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b\.?", _I)
# "1 Onder mensen verstaan we …", "1 wetten.nl - Regeling …": a footnote's number before
# its first (capitalised) word or the web address it cites.
_FOOTNOTE = re.compile(
    r"^\s*\d{1,2}(?=\s+(?:[A-Z][a-z]|(?:www\.|https?://)?[\w-]+\.(?:nl|eu|com|org)\b))"
)
# "… waarvan de geheimhouding geldt’;1": a footnote's marker, glued to a word's punctuation.
_NOTE_MARKER_BEFORE = re.compile(r"[^\W\d](?:[’'”\")][;:,.]?|[;,.])$")
_ONE_OF = re.compile(r"\s*van\s+(?:de|het|deze|die|onze|hun)\b", _I)
_ITEM_NUMBER = re.compile(r"^[\s|·]*\d{1,3}\s*[.)](?:\s|\||·|$)")
# A question for a measurement: a distance, height, length, width, depth or area.
# "Wat is de minimale afstand …?", "Welke tiphoogte …?", "Hoe ver …?"; not "Hoe hoog mag
# het voorschot zijn?" (a share) or "Bij hoeveel clusters met een tiphoogte van 200 meter
# …?" (a count).
_MEASURE_ASKED = re.compile(
    r"\b(?:wat|welke) (?:is|zijn|was|waren|wordt|worden|geldt|gelden) (?:de|het) "
    r"(?:[\w-]+ )?(?:afstand|(?:tip|as|bouw|goot)?hoogte|lengte|breedte|diepte|oppervlakte)\b|"
    r"\bwelke (?:afstand|(?:tip|as|bouw|goot)?hoogte|lengte|breedte|diepte|oppervlakte)\b|"
    r"\bop welke afstand\b|\bhoe (?:ver|breed|diep)\b",
    _I,
)
_UNITS = r"(?:kilometer|km|meter|m|centimeter|cm|millimeter|mm|hectare|ha|m2|m²|vierkante meter)"
_UNIT_AFTER = re.compile(
    rf"\s*{_UNITS}\b|\s*(?:x|keer|maal)\s+(?:de\s+)?(?:(?:tip|as)hoogte|rotordiameter)\b", _I
)
_UNIT_ENDS = re.compile(rf"(?:\b{_UNITS}|hoogte|diameter)$", _I)


def _with_unit(sentence: str, span: Span) -> Span:
    """``span`` with the unit of length or area right after it ("120" → "120 m")."""
    unit = _UNIT_AFTER.match(sentence, span.end)
    if unit is None or _UNIT_ENDS.search(span.text):
        return span
    return Span(span.start, unit.end(), sentence[span.start : unit.end()], span.strength)


# "Hoeveel bomen …?" counts things by a plural noun; a length, area or volume ("om de 5
# meter", "kleiner dan 1000 m2") measures and counts none of them, nor does a share ("20%").
# Not "Hoeveel meters …?" or "Hoeveel grond …?", which ask for a measure.
_COUNTS_THINGS = re.compile(r"\bhoeveel\s+(?:[^\W\d_]+e\s+)?([^\W\d_]{3,}(?:en|s))\b", _I)
_MEASURE_NOUN = re.compile(rf"(?:{_UNITS}|meters|kilometers|hectares|kuubs)", _I)
_MEASURED = re.compile(rf"\s?(?:{_UNITS}|m3|km2|km²|%|procent)$", _I)


def _counts_things(question: str) -> bool:
    counted = _COUNTS_THINGS.search(question)
    return counted is not None and not _MEASURE_NOUN.fullmatch(counted.group(1))


# A form's question with the applicant's answer after it: "Rijbeplanting: Hoeveel bomen
# gaat u verwijderen? 56".
_FORM_QUESTION = re.compile(r"\bhoeveel\b[^?.!]*\?\s*$", _I)


def _answers_form_question(sentence: str, span: Span, counted: frozenset[str]) -> bool:
    """Is ``span`` the answer a form gives to its own question counting what the question
    counts?"""
    asked = _FORM_QUESTION.search(sentence[: span.start])
    return asked is not None and bool(_counted_stems(asked.group()) & counted)


def _counts_no_time(question: str) -> bool:
    """Does ``question`` say what it counts, and is that no period ("Hoeveel documenten
    …?", not "Hoeveel weken …?" or "Hoe lang …?")?"""
    counted = _counted_stems(question)
    return bool(counted) and not counted & _TIME_STEMS and not _ASKS_DURATION.search(question)


def _counts_asked(sentence: str, span: Span, asked: frozenset[str]) -> bool:
    """Is one of the next three words (or the one before) a term of the question?"""
    after = _WORDS.findall(sentence[span.end : span.end + 60])[:3]
    before = _WORDS.findall(sentence[max(0, span.start - 30) : span.start])[-1:]
    return any(stem_word(word) in asked for word in after + before)


_NEXT_WORD = re.compile(r"\s*([^\W\d_]{3,})\b")
_COUNTED = re.compile(r"\bhoeveel\s+((?:[^\W\d_]+[\s-]*){1,3})", _I)


def _named_stems(question: str) -> frozenset[str]:
    """The stems of the question's capitalised words after its first (names: places,
    organisations, people)."""
    words = _WORDS.findall(question)[1:]
    return frozenset(stem for word in words if word[:1].isupper() for stem in tokenize_query(word))


def _counted_stems(question: str) -> frozenset[str]:
    """What "hoeveel" counts: the stems of the (at most three) words right after it
    ("Hoeveel oude bestelbusjes zijn …" → oude, bestelbusjes, zijn)."""
    found = _COUNTED.search(question)
    words = _WORDS.findall(found.group(1)) if found else []
    return frozenset(stem_word(w) for w in words) - {""}  # a stop word stems to ""


# A word after an article or a demonstrative is a noun: what a number can count.
_AFTER_DETERMINER = re.compile(
    r"\b(?:de|het|een|die|dat|deze|dit|geen|elke|iedere|welke)\s+([^\W\d_]{3,})", _I
)


def _nouns_named(question: str) -> frozenset[str]:
    """The stems of the question's nouns, as far as a determiner marks them ("met een
    zienswijze"; not a verb such as "verdaagd")."""
    return frozenset(stem_word(m.group(1)) for m in _AFTER_DETERMINER.finditer(question)) - {""}


def _with_counted(
    sentence: str, span: Span, counted: frozenset[str], named: frozenset[str]
) -> Span:
    """A count next to what the question names is stronger. A bare number takes what it
    counts: the words after it that the question counts ("drie documenten" answers
    "hoeveel documenten"), or one noun the question names elsewhere ("één zienswijze"
    answers "hoeveel … reageerden met een zienswijze"); "drie" alone does not say what."""
    end = span.end
    if _is_bare_number(span.text):
        for _ in range(3):
            following = _NEXT_WORD.match(sentence, end)
            stem = stem_word(following.group(1)) if following else ""
            if not following or not (stem in counted or (end == span.end and stem in named)):
                break
            end = following.end()
    text = sentence[span.start : end] if end > span.end else span.text
    return Span(span.start, end, text, span.strength + 2)


def parties_in(text: str) -> frozenset[str]:
    """The parties a text names, also in a compound: "de SP-motie", "de VVD-fractie"
    (not "GroenLinks-PvdA", one party's name)."""
    return frozenset(name for _, _, name in find_parties(_COMPOUND_HYPHEN.sub(" ", text)))


@lru_cache(maxsize=256)
def parties_named(question: str) -> frozenset[str]:
    """``parties_in`` a question. Cached: asked for every candidate sentence."""
    return parties_in(question)


_COMPOUND_HYPHEN = re.compile(r"-(?=[a-zà-ÿ])")


# A court's ruling cited by its date ("(AbRvS, 19 oktober 2022, ECLI:NL:RVS:2022:3004)",
# "uitspraak van de Centrale Raad van Beroep van 3 mei 2021"): the date of the ruling, not of
# anything the document tells.
_COURT_BEFORE = re.compile(
    r"(?:\b(?:A[Bb]RvS|RvS|CRvB|CBb|HR|Rb\.?|Hof|Rechtbank [A-Z][\w-]+|Raad van State|"
    r"Centrale Raad van Beroep|Hoge Raad)|\buitspraak\b[^.;]{0,60}?\bvan)\s*,?\s*$"
)
_ECLI_AFTER = re.compile(r"^\s*,?\s*(?:ECLI|LJN|nr\.|zaaknummer)\b", _I)


def _cites_a_ruling(sentence: str, start: int, end: int) -> bool:
    return bool(
        _COURT_BEFORE.search(sentence[max(0, start - 80) : start])
        or _ECLI_AFTER.match(sentence[end : end + 20])
    )


# A motion's or amendment's opening formula dates the meeting it was submitted at ("De raad
# …, in vergadering bijeen op 13 maart 2025, …"): no answer to when what it asks happens.
_MEETING_BEFORE = re.compile(r"\bbijeen\s+(?:op|d\.d\.)\s*$", _I)
_ASKS_MEETING = re.compile(r"\b(?:vergader\w*|bijeen|zitting|ingediend|behandeld|besproken)\b", _I)


def _meeting_date(sentence: str, start: int, question: str) -> bool:
    return bool(
        _MEETING_BEFORE.search(sentence[max(0, start - 40) : start])
        and not _ASKS_MEETING.search(question)
    )


def find_spans(kind: str, sentence: str, question: str = "") -> list[Span]:
    """Answers of type ``kind`` in ``sentence``, in text order; values the question itself
    contains (its own year, party or number) are not answers."""
    asked_numbers = _numbers_in(question)
    spans: list[Span]
    if kind == "datum":
        asked = {d.date for d in find_dates(question)}
        spans = [
            Span(d.start, d.end, d.text)
            for d in find_dates(sentence)
            if d.date not in asked
            and not _cites_a_ruling(sentence, d.start, d.end)
            and not _meeting_date(sentence, d.start, question)
        ]
    elif kind == "partij":
        asked_parties = parties_named(question)
        spans = [
            Span(start, end, name, 2)
            for start, end, name in find_parties(sentence)
            if name not in asked_parties
        ]
    elif kind == "persoon":
        if asks_person_role(question):
            parties = []  # a party answers "wie diende … in?", not "welk raadslid …?"
        else:
            asked_parties = parties_named(question)
            parties = [
                Span(start, end, name)
                for start, end, name in find_parties(sentence)
                if name not in asked_parties
            ]
        covered = {(p.start, p.end) for p in parties}
        spans = parties + [
            s
            for s in _names(sentence, question)
            if not any(a <= s.start < b for a, b in covered)
            # "omgevingsplan Den Haag": a municipality is nobody.
            and not is_place(s.text)
        ]
    elif kind == "bedrag":
        spans = [_whole_euros(span, sentence) for span in _spans(_AMOUNT, sentence, 2)]
    elif kind == "percentage":
        spans = _spans(_PERCENTAGE, sentence, 2)
    elif kind == "aantal":
        # A reference's number counts nothing ("artikel 20 van de Wob", "bijlage 3", the
        # 11 of "de artikelen 10 en 11 van de Wob").
        articles = [(m.start(), m.end()) for m in _ARTICLE.finditer(sentence)]
        spans = [
            s
            for s in _spans(_COUNT, sentence) + _spans(_COUNT_WORD, sentence, number_words=True)
            if not (re.fullmatch(r"(?:19|20)\d\d", s.text) and "jaar" not in question.lower())
            and not _REFERENCE_BEFORE.search(sentence[: s.start])
            and not any(a <= s.start < b for a, b in articles)
        ]
        # With a unit or a frequency ("150 meter", "1x per week") a typical answer; a bare
        # number, in digits or words ("tien jaar"), only next to what the question counts.
        spans = [Span(s.start, s.end, s.text, 1 if _is_bare_number(s.text) else 2) for s in spans]
        if question:
            spans = [s for s in spans if not _counts_other(s, question, sentence)]
            if _counts_no_time(question):
                # "twee weken" counts no documents.
                spans = [s for s in spans if not _DURATION.search(s.text)]
            if _counts_things(question) and not _MEASURE_ASKED.search(question):
                spans = [s for s in spans if not _MEASURED.search(s.text)]
        if _ASKS_DURATION.search(question):
            spans = [
                Span(s.start, s.end, s.text, s.strength + 2) if _DURATION.search(s.text) else s
                for s in spans
            ]
        if _ASKS_FREQUENCY.search(question):
            # "Hoe vaak ...?" asks how often: a frequency is the answer, a count only hints.
            spans += _spans(_FREQUENCY, sentence, FREQUENCY_STRENGTH)
    elif kind == "termijn":
        spans = [s for s in find_spans("aantal", sentence, question) if _DURATION.search(s.text)]
    elif kind == "stemuitslag":
        spans = _spans(_TALLY, sentence, 2)
    elif kind == "uitkomst":
        spans = [Span(m.start(), m.end(), m.group(1).lower()) for m in _OUTCOME.finditer(sentence)]
    elif kind == "grond":
        spans = _spans(_ARTICLE, sentence) + _spans(NAMED_GROUND, sentence)
    elif kind == "jaar":
        spans = _spans(_YEAR, sentence)
    elif kind == "adres":
        spans = _spans(_ADDRESS, sentence)
    elif kind == "webadres":
        spans = _spans(_WEB_ADDRESS, sentence, 2)
    elif kind == "kenmerk":
        spans = _identifiers(sentence)
    else:
        return []
    if kind not in ("datum", "partij", "persoon", "uitkomst"):
        spans = [
            s for s in spans if not (_numbers_in(s.text) and _numbers_in(s.text) <= asked_numbers)
        ]
    if kind in ("aantal", "bedrag", "percentage", "jaar"):
        # The day or year of a date is no count ("21 januari 2020" holds no "21").
        dates = [(d.start, d.end) for d in find_dates(sentence)]
        spans = [s for s in spans if not any(a <= s.start < b for a, b in dates)]
    if kind in ("aantal", "bedrag", "percentage", "jaar") and spans:
        # A letterhead's numbers ("Postbus 40225 8004 DE ZWOLLE", "T 088 042 42 42") are
        # no counts either.
        contact = contact_details(sentence)
        # Nor are a web address's ("…/keywords/project%20centrum", "gmb-2019-97450.html"),
        # in a table cell up to the cell's end: the PDF wraps a long address over lines
        # with spaces ("…/schriftelijke%20vragen/4241 98").
        contact += [_address_reach(sentence, m) for m in _WEB_ADDRESS.finditer(sentence)]
        spans = [s for s in spans if not any(a <= s.start < b for a, b in contact)]
    if kind == "aantal":
        # "8. Diverse documenten", "|3.|Bestemmingsplan …|", "5° de maandomzetcijfers": a
        # list's or table's item number counts nothing; "een op de vier inwoners", "twee op
        # de drie" are a share, "in één van de passantenpensions" one of many: no count.
        item = _ITEM_NUMBER.match(sentence) or _FOOTNOTE.match(sentence)
        spans = [
            s
            for s in spans
            if (item is None or s.start >= item.end())
            and not sentence.startswith("°", s.end)
            and not (len(s.text) <= 2 and _NOTE_MARKER_BEFORE.search(sentence[: s.start]))
            and not _RATIO_BEFORE.search(sentence[: s.start])
            and not _RATIO_AFTER.match(sentence, s.end)
            and not (_is_bare_number(s.text) and _MONTH_AFTER.match(sentence, s.end))
            and not (s.text.lower() in ("één", "een") and _ONE_OF.match(sentence, s.end))
            # "zo zelfstandig mogelijk wonen (2).": a note's or a list's marker.
            and not (
                _is_bare_number(s.text)
                and sentence[s.start - 1 : s.start] == "("
                and sentence[s.end : s.end + 1] == ")"
            )
        ]
    if kind == "aantal" and _MEASURE_ASKED.search(question):
        # "Wat is de minimale afstand tot woningen?": a length or an area, with its unit
        # ("400 meter", "120 m"); "de twee typen" counts no distance.
        spans = [_with_unit(sentence, s) for s in spans]
        spans = [s for s in spans if _UNIT_ENDS.search(s.text)]
    if kind in ("aantal", "bedrag", "percentage") and question:
        # "408 zienswijzen", "22 gemeenten": a number next to what the question counts.
        counted = _counted_stems(question) if kind == "aantal" else frozenset()
        # A name says what the question is about, not what it counts: "176762: Gemeente
        # Amsterdam" is no count of anything "Hoeveel fietsen … in Amsterdam-Noord?" asks.
        asked_terms = frozenset(tokenize_query(question)) - (_named_stems(question) - counted)
        named = _nouns_named(question) if kind == "aantal" else frozenset()
        spans = [
            _with_counted(sentence, s, counted, named)
            if _counts_asked(sentence, s, asked_terms)
            or _answers_form_question(sentence, s, counted)
            else s
            for s in spans
        ]
    spans.sort(key=lambda s: (s.start, -s.end, -s.strength))
    out: list[Span] = []
    for span in spans:  # no overlaps: the first (longest, then strongest) wins
        if out and span.start < out[-1].end:
            continue
        out.append(span)
    return out
