"""The network around a report, case, person or identifier, up to two steps, as the user may see it.

Nodes are reports, cases, persons, identifiers, businesses and places; an edge is a sighting (an identifier seen in a
report, a case, a person, a note's case, a business or a place), a report linked to a case, a person involved in a
case, a business or place linked to a report, case or person, or a place of a business. The graph is built with
networkx; what the user may not open is left out and counted. It is drawn on the server as SVG (no JavaScript,
printable), with the same content as a table.
"""

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import Case, Involvement, Note, Person
from kenniscentrum.reports.models import Report, ReportPerson

from .models import Business, Identifier, Mention, Place, Sighting

KINDS = ("report", "case", "person", "identifier", "business", "place")

# At most this many nodes are drawn; the rest are counted (a hub of thousands would draw nothing readable).
MOST_NODES = 60
# At most this many sightings are read per step: a number seen in thousands of reports is a hub, not a network.
MOST_SIGHTINGS = 2000
STEPS = 2

Node = tuple[str, int]  # ("report" | "case" | "person" | "identifier", pk)


@dataclass
class Network:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    hidden: int = 0
    cut: int = 0
    width: int = 720
    height: int = 720


def sighting_node(sighting: Sighting) -> Node:
    """The node a sighting is at; a report person's report and a note's case stand for them (select_related
    "report_person" and "note")."""
    if sighting.report_id:
        return ("report", sighting.report_id)
    if sighting.report_person is not None:
        return ("report", sighting.report_person.report_id)
    if sighting.case_id:
        return ("case", sighting.case_id)
    if sighting.note is not None:
        return ("case", sighting.note.case_id)
    if sighting.business_id:
        return ("business", sighting.business_id)
    if sighting.place_id:
        return ("place", sighting.place_id)
    return ("person", sighting.person_id or 0)


def _neighbours(nodes: set[Node]) -> list[tuple[Node, Node, str]]:
    """Every edge from `nodes`, in a few queries whatever their number. Places are read first and given as plain
    lists, so each column's index serves (linking/services.sightings_of says why)."""
    ids = {kind: [pk for k, pk in nodes if k == kind] for kind in KINDS}
    report_persons = list(ReportPerson.objects.filter(report_id__in=ids["report"]).values_list("pk", flat=True))
    notes = list(Note.objects.filter(case_id__in=ids["case"]).values_list("pk", flat=True))
    where = (
        Q(identifier_id__in=ids["identifier"])
        | Q(report_id__in=ids["report"])
        | Q(report_person_id__in=report_persons)
        | Q(case_id__in=ids["case"])
        | Q(note_id__in=notes)
        | Q(person_id__in=ids["person"])
        | Q(business_id__in=ids["business"])
        | Q(place_id__in=ids["place"])
    )
    sightings = Sighting.objects.filter(where).select_related("report_person", "note").order_by("id")
    edges = [(("identifier", s.identifier_id), sighting_node(s), "seen") for s in sightings[:MOST_SIGHTINGS]]
    linked = Report.objects.filter(Q(pk__in=ids["report"]) | Q(case_id__in=ids["case"]), case__isnull=False)
    edges += [(("report", r), ("case", c), "report") for r, c in linked.values_list("pk", "case_id")]
    involved = Involvement.objects.filter(Q(case_id__in=ids["case"]) | Q(person_id__in=ids["person"]))
    edges += [(("person", p), ("case", c), "involved") for p, c in involved.values_list("person_id", "case_id")[:2000]]
    # Businesses and places linked to reports, cases and persons, and a place to its business.
    mentions = Mention.objects.filter(
        Q(business_id__in=ids["business"]) | Q(place_id__in=ids["place"]) | Q(report_id__in=ids["report"])
        | Q(case_id__in=ids["case"]) | Q(person_id__in=ids["person"])
    )  # fmt: skip
    for business, place, report, case, person in mentions.values_list(
        "business_id", "place_id", "report_id", "case_id", "person_id"
    )[:2000]:
        node: Node = ("business", business) if business else ("place", place)
        target: Node = ("report", report) if report else ("case", case) if case else ("person", person)
        edges.append((node, target, "mentioned"))
    places = Place.objects.filter(Q(pk__in=ids["place"]) | Q(business_id__in=ids["business"]), business__isnull=False)
    edges += [(("place", p), ("business", b), "of") for p, b in places.values_list("pk", "business_id")]
    return edges


def graph_around(start: Node, steps: int = STEPS) -> "nx.Graph[Node]":
    """The neighbourhood of `start` up to `steps` steps, whatever the user may see (judged after)."""
    graph: nx.Graph[Any] = nx.Graph()
    graph.add_node(start)
    frontier = {start}
    for _step in range(steps):
        new: set[Node] = set()
        for a, b, kind in _neighbours(frontier):
            for node in (a, b):
                if node not in graph:
                    new.add(node)
            graph.add_edge(a, b, kind=kind)
        frontier = new
        if not frontier:
            break
    return graph


def _visible(user: User, graph: "nx.Graph[Node]") -> set[Node]:
    """The nodes the user may open; an identifier counts as visible when it is linked to a node the user may open."""
    ids = {kind: [pk for k, pk in graph.nodes if k == kind] for kind in ("report", "case", "person")}
    cases = Case.objects.visible_to(user)
    visible: set[Node] = set()
    if user.handles_reports_and_cases:
        visible |= {("report", pk) for pk in ids["report"]}
    visible |= {("case", pk) for pk in cases.filter(pk__in=ids["case"]).values_list("pk", flat=True)}
    persons = Person.objects.filter(pk__in=ids["person"], involvements__case__in=cases).values_list("pk", flat=True)
    visible |= {("person", pk) for pk in persons}
    for node in graph.nodes:
        if node[0] in ("business", "place") and user.handles_reports_and_cases:
            visible.add(node)
    for node in graph.nodes:
        if node[0] == "identifier" and any(n in visible for n in graph.neighbors(node)):
            visible.add(node)
    return visible


def _labels(nodes: list[Node]) -> dict[Node, tuple[str, str]]:
    """(label, link) per node, one query per kind."""
    ids = {kind: [pk for k, pk in nodes if k == kind] for kind in KINDS}
    labels: dict[Node, tuple[str, str]] = {}
    for business in Business.objects.filter(pk__in=ids["business"]):
        labels[("business", business.pk)] = (business.name, reverse("linking:business", args=[business.pk]))
    for place in Place.objects.filter(pk__in=ids["place"]):
        labels[("place", place.pk)] = (place.label, reverse("linking:place", args=[place.pk]))
    for pk, reference in Report.objects.filter(pk__in=ids["report"]).values_list("pk", "reference"):
        labels[("report", pk)] = (reference, reverse("reports:detail", args=[pk]))
    for pk, reference in Case.objects.filter(pk__in=ids["case"]).values_list("pk", "reference"):
        labels[("case", pk)] = (reference, reverse("cases:detail", args=[pk]))
    for person in Person.objects.filter(pk__in=ids["person"]):
        labels[("person", person.pk)] = (str(person), reverse("cases:person", args=[person.pk]))
    for identifier in Identifier.objects.filter(pk__in=ids["identifier"]):
        labels[("identifier", identifier.pk)] = (
            f"{identifier.kind_name}: {identifier.shown}",
            reverse("linking:network", args=["kenmerk", identifier.pk]),
        )
    return labels


def network_for(user: User, start: Node) -> Network:
    """What the user may see of the network around `start`, laid out in rings by distance."""
    graph = graph_around(start)
    visible = _visible(user, graph)
    seen = graph.subgraph(visible).copy()
    distances = nx.single_source_shortest_path_length(seen, start) if start in seen else {}
    kept = sorted(distances, key=lambda n: (distances[n], n))[:MOST_NODES]
    result = Network(hidden=graph.number_of_nodes() - len(visible), cut=len(distances) - len(kept))
    labels = _labels(kept)
    positions = _rings(kept, distances, result.width, result.height)
    names = {"report": _("Report"), "case": _("Case"), "person": _("Person"), "identifier": _("Identifier"),
             "business": _("Business"), "place": _("Place")}  # fmt: skip
    for node in kept:
        label, link = labels.get(node, (str(node[1]), ""))
        x, y = positions[node]
        result.nodes.append(
            {
                "key": f"{node[0]}-{node[1]}",
                "kind": node[0],
                "kind_name": names[node[0]],
                "label": label,
                "link": link,
                "x": x,
                "y": y,
                "distance": distances[node],
                "start": node == start,
            }  # fmt: skip
        )
    drawn = set(kept)
    for a, b in seen.edges:
        if a in drawn and b in drawn:
            (x1, y1), (x2, y2) = positions[a], positions[b]
            result.edges.append(
                {
                    "a": labels.get(a, ("", ""))[0],
                    "b": labels.get(b, ("", ""))[0],
                    "x1": x1,
                    "y1": y1,
                    "x2": x2,
                    "y2": y2,
                }  # fmt: skip
            )
    return result


def _rings(nodes: list[Node], distances: dict[Node, int], width: int, height: int) -> dict[Node, tuple[int, int]]:
    """The start in the middle, each further step on a wider ring, evenly spread."""
    cx, cy = width // 2, height // 2
    rings: dict[int, list[Node]] = {}
    for node in nodes:
        rings.setdefault(distances[node], []).append(node)
    positions = {}
    for distance, members in rings.items():
        radius = 0 if distance == 0 else distance * (min(width, height) // 2 - 70) // STEPS
        for n, node in enumerate(members):
            angle = 2 * math.pi * n / len(members) + distance * 0.4
            positions[node] = (round(cx + radius * math.cos(angle)), round(cy + radius * math.sin(angle)))
    return positions


def start_node_visible(user: User, start: Node) -> bool:
    kind, pk = start
    if kind == "report":
        return user.handles_reports_and_cases and Report.objects.filter(pk=pk).exists()
    if kind == "case":
        return Case.objects.visible_to(user).filter(pk=pk).exists()
    if kind == "person":
        return Person.objects.filter(pk=pk, involvements__case__in=Case.objects.visible_to(user)).exists()
    model = {"identifier": Identifier, "business": Business, "place": Place}[kind]
    return user.handles_reports_and_cases and model.objects.filter(pk=pk).exists()  # type: ignore[attr-defined]
