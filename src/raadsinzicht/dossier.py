"""Dossiers: the documents about one matter, in date order, each link with its evidence.

Links, strongest first:

1. ``verwijzing`` — one document cites the other's own number: a RIS number ("RIS321674"),
   kenmerk, zaaknummer or Kamerstuk, or the registration number of a motion as the
   besluitenlijst records it;
2. ``motie`` — both record the same motion (its own PDF, the besluitenlijst row, the vote
   in the minutes: same meeting and number, registration number or title);
3. ``titel`` — one quotes the other's title ("motie ‘Ga de strijd aan tegen sleutelgeld’");
4. ``agendapunt`` — the RIS lists both under the same agenda item;
5. ``gedeelde verwijzing`` — both cite the same number that few documents cite and that
   is not the number of a stored document (siblings of a proposal not in the index); not
   between two minutes or decision lists;
6. ``vergelijkbare titel`` — fallback for the starting document only: titles whose subject
   words (no dates, numbers or words like "besluit", "Wob-verzoek", "vergadering") are nearly
   the same (RapidFuzz token-sort ratio and word overlap).

From the starting document links are followed one step further from motions, amendments,
proposals and letters; minutes and decision lists are hubs (they mention everything) and
are not expanded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from .index.catalog import Catalog, DocumentRecord
from .index.council import CouncilStore, _group
from .references import normalise_title

__all__ = ["Dossier", "DossierEntry", "DossierLink", "build_dossier"]

_HUB_KINDS = {"notulen", "besluitenlijst", "inventarislijst"}
_STRONG = {"verwijzing", "motie", "titel"}
_SHARED_MAX_DOCS = 6  # a number cited by more documents than this is not specific
_SIMILAR_TITLE = 85  # RapidFuzz token-sort ratio of the titles' subject words (fallback)
_LABELS = {"ris": "RIS", "kenmerk": "kenmerk", "zaaknummer": "zaaknummer", "kamerstuk": "Kamerstuk"}


@dataclass(frozen=True, slots=True)
class DossierLink:
    type: str  # verwijzing | motie | titel | agendapunt | gedeelde verwijzing | vergelijkbare titel
    value: str  # the number, motion or title that links
    evidence: str  # the words that make the link
    file: str  # the document the evidence is in
    page: int | None  # its page

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "value": self.value,
            "evidence": self.evidence,
            "file": self.file,
            "page": self.page,
        }


@dataclass(slots=True)
class DossierEntry:
    doc_id: str
    file: str
    title: str
    kind: str
    date: date | None
    outcome: str | None
    page: int  # where to open the document
    start: bool = False  # the document the dossier was asked for
    links: list[DossierLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "outcome": self.outcome,
            "page": self.page,
            "start": self.start,
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(slots=True)
class Dossier:
    subject: str  # the path or query asked for
    entries: list[DossierEntry]  # date order (undated last), the start included

    @property
    def start(self) -> DossierEntry | None:
        return next((e for e in self.entries if e.start), None)

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "entries": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True, slots=True)
class _Ref:
    doc_id: str
    role: str
    type: str
    value: str
    page: int
    context: str


class _Graph:
    """Everything the links are computed from, read once from the catalog."""

    def __init__(self, catalog: Catalog, hidden: Collection[str] = ()) -> None:
        # Only documents the user may see: no link runs through one they may not.
        self.documents = {d.doc_id: d for d in catalog.documents(hidden=hidden)}
        self.refs: dict[str, list[_Ref]] = defaultdict(list)
        self.by_value: dict[tuple[str, str], list[_Ref]] = defaultdict(list)
        for row in catalog.read(
            "SELECT doc_id, role, type, value, page, context FROM doc_references"
        ):
            ref = _Ref(*row)
            if ref.doc_id not in self.documents:
                continue
            self.refs[ref.doc_id].append(ref)
            self.by_value[(ref.type, ref.value)].append(ref)
        store = CouncilStore(catalog)
        rows = store._motion_rows(hidden)
        self.motion_groups: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
        for group in _group(rows):
            for doc_id in {r["doc_id"] for r in group if r["doc_id"]}:
                self.motion_groups[doc_id].append(group)
        links = store.document_links(list(self.documents))
        self.agenda: dict[str, set[str]] = defaultdict(set)
        self.agenda_titles: dict[str, str] = {}
        for doc_id, link in links.items():
            if link["agenda_item_id"]:
                self.agenda[link["agenda_item_id"]].add(doc_id)
                self.agenda_titles[link["agenda_item_id"]] = link["agenda_item"] or ""
        self.doc_agenda = {d: link["agenda_item_id"] for d, link in links.items()}
        self.ids = {doc_id: self._identities(doc_id) for doc_id in self.documents}
        self.by_identity: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for doc_id, ids in self.ids.items():
            for key, how in ids.items():
                self.by_identity[key].append((doc_id, how))
        self.stored = {
            (r.type, r.value) for refs in self.refs.values() for r in refs if r.role == "self"
        }

    def file(self, doc_id: str) -> str:
        return self.documents[doc_id].file

    def own_motion_groups(self, doc_id: str) -> list[list[dict[str, Any]]]:
        """The motion(s) a motie/amendement document is."""
        if self.documents[doc_id].kind not in ("motie", "amendement"):
            return []
        return [g for g in self.motion_groups.get(doc_id, []) if any(
            r["doc_id"] == doc_id and r["origin"] == "pdf" for r in g)]  # fmt: skip

    def _identities(self, doc_id: str) -> dict[tuple[str, str], str]:
        """What other documents cite to mean this one -> how it is known."""
        ids: dict[tuple[str, str], str] = {}
        for ref in self.refs.get(doc_id, []):
            if ref.role == "self":
                ids[(ref.type, ref.value)] = f"eigen nummer {ref.context}"
        for group in self.own_motion_groups(doc_id):
            for row in group:
                if row["ris_number"]:
                    ids[("ris", row["ris_number"])] = (
                        f"registratienummer van de motie volgens {row['file']}"
                    )
                if row["title"]:
                    ids[("title", normalise_title(row["title"]))] = "titel van de motie"
        document = self.documents[doc_id]
        if document.kind in ("motie", "amendement", "raadsvoorstel") and len(document.title) > 12:
            ids.setdefault(("title", normalise_title(_strip_kind(document.title))), "titel")
        return ids

    def mentions(self, doc_id: str) -> list[_Ref]:
        return [r for r in self.refs.get(doc_id, []) if r.role == "mention"]


def _strip_kind(title: str) -> str:
    for prefix in ("Motie:", "Amendement:", "Motie", "Amendement"):
        if title.startswith(prefix):
            return title[len(prefix) :].strip(" :")
    return title


def _neighbours(graph: _Graph, doc_id: str) -> dict[str, list[DossierLink]]:
    """Documents linked to ``doc_id`` by the strong and structural links (1-5)."""
    found: dict[str, list[DossierLink]] = defaultdict(list)
    ids = graph.ids[doc_id]
    # 1/3: others cite this document.
    for key, how in ids.items():
        for ref in graph.by_value.get(key, []):
            if ref.doc_id == doc_id or ref.role != "mention":
                continue
            kind = "titel" if key[0] == "title" else "verwijzing"
            value = key[1] if kind == "titel" else f"{_LABELS.get(key[0], key[0])} {key[1]}"
            found[ref.doc_id].append(
                DossierLink(kind, value, f"{ref.context} ({how})", graph.file(ref.doc_id), ref.page)
            )
    # 1/3: this document cites others.
    for ref in graph.mentions(doc_id):
        for other, how in graph.by_identity.get((ref.type, ref.value), []):
            if other != doc_id:
                kind = "titel" if ref.type == "title" else "verwijzing"
                value = (
                    ref.value
                    if kind == "titel"
                    else f"{_LABELS.get(ref.type, ref.type)} {ref.value}"
                )
                found[other].append(
                    DossierLink(kind, value, f"{ref.context} ({how})", graph.file(doc_id), ref.page)
                )
    # 2: the same motion recorded elsewhere.
    for group in graph.own_motion_groups(doc_id) or (
        graph.motion_groups.get(doc_id, [])
        if graph.documents[doc_id].kind not in _HUB_KINDS
        else []
    ):
        for row in group:
            other = row["doc_id"]
            if not other or other == doc_id:
                continue
            label = " ".join(p for p in (row["kind"], row["code"]) if p)
            found[other].append(
                DossierLink("motie", label, row["evidence"], graph.file(other), row["page"])
            )
    # 4: the same RIS agenda item.
    item = graph.doc_agenda.get(doc_id)
    if item:
        for other in graph.agenda[item] - {doc_id}:
            found[other].append(
                DossierLink("agendapunt", graph.agenda_titles.get(item, item),
                            "zelfde agendapunt in de RIS", graph.file(other), None)
            )  # fmt: skip
    # 5: siblings citing the same specific number of a document not in the index.
    for ref in graph.mentions(doc_id):
        if ref.type == "title" or (ref.type, ref.value) in graph.stored:
            continue
        citing = {r.doc_id for r in graph.by_value[(ref.type, ref.value)] if r.role == "mention"}
        if len(citing) > _SHARED_MAX_DOCS:
            continue
        for other_ref in graph.by_value[(ref.type, ref.value)]:
            if other_ref.doc_id == doc_id or other_ref.role != "mention":
                continue
            kinds = {graph.documents[doc_id].kind, graph.documents[other_ref.doc_id].kind}
            if kinds <= _HUB_KINDS:
                continue  # two decision lists citing one proposal are not one dossier
            found[other_ref.doc_id].append(
                DossierLink(
                    "gedeelde verwijzing",
                    f"{_LABELS.get(ref.type, ref.type)} {ref.value}",
                    f"beide noemen {_LABELS.get(ref.type, ref.type)} {ref.value}: "
                    f"{other_ref.context}",
                    graph.file(other_ref.doc_id),
                    other_ref.page,
                )
            )
    return found


# Words every title of a kind shares: they say nothing about the matter.
_GENERIC_TITLE_WORDS = frozenset(
    """
    aan aanvraag beslissing besluit bestuur betreffende bezwaar bijlage brief college de
    d.d. dd den der een en gehouden gemeente gemeenteraad het in inzake inventarislijst
    kader met motie amendement notulen of om op openbaarheid over raad raadsvoorstel tot
    uw van verslag vergadering verzoek voor voorstel wet wob woo wobverzoek
    besluitenlijst raadsvergadering commissievergadering agenda lijst januari februari
    maart april mei juni juli augustus september oktober november december maandag
    dinsdag woensdag donderdag vrijdag zaterdag zondag
    """.split()  # noqa: SIM905
)


def _subject_words(title: str) -> set[str]:
    """The words of a title that name its matter (no dates, numbers or kind words)."""
    return {
        w
        for w in normalise_title(_strip_kind(title)).split()
        if w not in _GENERIC_TITLE_WORDS and not any(c.isdigit() for c in w) and len(w) > 2
    }


def _similar_titles(graph: _Graph, doc_id: str, exclude: Iterable[str]) -> dict[str, DossierLink]:
    title = _strip_kind(graph.documents[doc_id].title)
    words = _subject_words(title)
    if len(words) < 3 or graph.documents[doc_id].kind in _HUB_KINDS:
        return {}  # minutes and decision lists have formulaic titles
    skip = set(exclude) | {doc_id}
    out = {}
    for other, document in graph.documents.items():
        other_words = _subject_words(document.title)
        if other in skip or len(other_words) < 3 or document.kind in _HUB_KINDS:
            continue
        overlap = len(words & other_words) / len(words | other_words)
        score = fuzz.token_sort_ratio(" ".join(sorted(words)), " ".join(sorted(other_words)))
        if score >= _SIMILAR_TITLE and overlap >= 0.6:
            out[other] = DossierLink(
                "vergelijkbare titel", document.title,
                f"titel lijkt op ‘{title}’ ({score:.0f}/100)", document.file, 1,
            )  # fmt: skip
    return out


def _entry(graph: _Graph, doc_id: str, links: list[DossierLink], start: bool) -> DossierEntry:
    document: DocumentRecord = graph.documents[doc_id]
    outcome = document.outcome
    for group in graph.own_motion_groups(doc_id):
        outcome = outcome or CouncilStore._merge(group).result
    pages = [link.page for link in links if link.file == document.file and link.page]
    return DossierEntry(
        doc_id=doc_id,
        file=document.file,
        title=document.title,
        kind=document.kind,
        date=document.date,
        outcome=outcome,
        page=min(pages) if pages else 1,
        start=start,
        links=links,
    )


def build_dossier(
    catalog: Catalog, doc_id: str, *, subject: str = "", hidden: Collection[str] = ()
) -> Dossier:
    """The dossier of the stored document ``doc_id``: linked documents in date order,
    among the documents with a file outside the ``hidden`` collections."""
    graph = _Graph(catalog, hidden)
    if doc_id not in graph.documents:
        return Dossier(subject, [])
    links: dict[str, list[DossierLink]] = defaultdict(list)
    for other, found in _neighbours(graph, doc_id).items():
        links[other] += found
    # One step further from the direct neighbours that are not hubs, strong links only.
    for first in list(links):
        if graph.documents[first].kind in _HUB_KINDS:
            continue
        for other, found in _neighbours(graph, first).items():
            if other == doc_id or other in links:
                continue
            strong = [link for link in found if link.type in _STRONG]
            if strong:
                links[other] += strong
    for other, link in _similar_titles(graph, doc_id, links).items():
        links[other].append(link)
    entries = [_entry(graph, doc_id, [], True)]
    entries += [_entry(graph, other, _dedupe(found), False) for other, found in links.items()]
    entries.sort(key=lambda e: (e.date is None, e.date or date.max, not e.start, e.file))
    return Dossier(subject or graph.file(doc_id), entries)


def _dedupe(links: list[DossierLink]) -> list[DossierLink]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for link in links:
        key = (link.type, link.value, link.file)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out
