"""content/concepts.yaml and content/prior.yaml -> the concept registry and what students know already."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.config import SiteConfig
from ..model.course import Concept, ConceptIndex, PriorRecord
from ..model.diagnostics import Diagnostic, Pos, error
from ..suggest import did_you_mean
from .files import read_text
from .yaml_schema import Field, Record, YamlSource

CONCEPT_SCHEMA = {
    "name": Field("str", "the concept's display name", required=True),
    "aliases": Field("strlist", "other names authors may use"),
    "definition": Field("str", "a one-line definition (the glossary entry)"),
    "detect": Field("bool", "false: lesson text that names it is not a mention (for names that are ordinary words)"),
}


@dataclass(frozen=True)
class Registry:
    """The concepts a course names, what earlier modules established, and the findings of reading them."""

    concepts: dict[str, Concept]
    prior: tuple[PriorRecord, ...]
    diagnostics: tuple[Diagnostic, ...]
    readable: bool
    """content/concepts.yaml could be read as a mapping of concepts."""


def load_registry(root: Path, config: SiteConfig) -> Registry:
    """content/concepts.yaml and content/prior.yaml, every problem a finding."""
    diags: list[Diagnostic] = []
    concepts, readable = _load_concepts(root, diags)
    prior = _load_prior(root, config, ConceptIndex(concepts, readable), diags)
    return Registry(concepts, tuple(prior), tuple(diags), readable)


def _yaml_file(root: Path, rel: str, diags: list[Diagnostic]) -> tuple[YamlSource, yaml.Node] | None:
    path = root / rel
    if not path.is_file():
        return None
    text = read_text(root, path, diags)
    if text is None:
        return None
    src = YamlSource(rel, text)
    node = src.compose()
    diags.extend(src.diagnostics)
    src.diagnostics.clear()
    if node is None:
        return None
    return src, node


CONCEPTS = "content/concepts.yaml"
PRIOR = "content/prior.yaml"


def _load_concepts(root: Path, diags: list[Diagnostic]) -> tuple[dict[str, Concept], bool]:
    """The concepts, and whether the file could be read as a mapping of them at all."""
    rel = CONCEPTS
    loaded = _yaml_file(root, rel, diags)
    if loaded is None:
        if not (root / rel).exists():
            diags.append(error("CB104", rel, None, "there is no content/concepts.yaml",
                               "Create it: one entry per concept id with `name`, `aliases` and `definition`."))
        return {}, False
    src, node = loaded
    if not isinstance(node, yaml.MappingNode):
        diags.append(error("CB104", rel, src.pos(node), "concepts.yaml must map concept ids to entries",
                           "Write `concept-id:` followed by indented `name:`, `aliases:` and `definition:`."))
        return {}, False
    concepts: dict[str, Concept] = {}
    label_pos: dict[tuple[str, str], Pos] = {}  # (concept id, name or alias) -> where it is written
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or _is_null_key(key_node):
            diags.append(error("CB104", rel, src.pos(key_node), "a concept id must be a word, e.g. `chain-rule`",
                               "Write `concept-id:` followed by indented `name:`, `aliases:` and `definition:`."))
            continue
        cid = str(key_node.value)
        if cid in concepts:
            diags.append(error("CB104", rel, src.pos(key_node), f"concept `{cid}` is defined twice", "Keep one entry per id."))
            continue
        rec = src.record(value_node, CONCEPT_SCHEMA, f"concept `{cid}`")
        if rec is None or "name" not in rec.values:
            continue
        concepts[cid] = Concept(cid, str(rec.get("name")), tuple(map(str, rec.get("aliases", ()))), str(rec.get("definition", "")),
                                src.pos(key_node), bool(rec.get("detect", True)), _definition_pos(src, value_node))
        label_pos.update(_label_positions(src, cid, value_node))
    diags.extend(src.diagnostics)
    diags.extend(_claimed_twice(rel, concepts, label_pos))
    return concepts, True


def _definition_pos(src: YamlSource, entry: yaml.Node) -> Pos | None:
    """Where a concept's definition text starts (its findings point into it)."""
    for key, value in entry.value if isinstance(entry, yaml.MappingNode) else ():
        if key.value == "definition" and isinstance(value, yaml.ScalarNode):
            return src.text_pos(value)
    return None


def _is_null_key(node: yaml.ScalarNode) -> bool:
    return node.tag.endswith(":null") or not str(node.value).strip()


def _label_positions(src: YamlSource, cid: str, entry: yaml.Node) -> dict[tuple[str, str], Pos]:
    out: dict[tuple[str, str], Pos] = {}
    for key, value in entry.value if isinstance(entry, yaml.MappingNode) else ():
        if key.value == "name" and isinstance(value, yaml.ScalarNode):
            out[(cid, str(value.value))] = src.pos(value)
        elif key.value == "aliases" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode):
                    out.setdefault((cid, str(item.value)), src.pos(item))
    return out


def _claimed_twice(rel: str, concepts: dict[str, Concept], label_pos: dict[tuple[str, str], Pos]) -> list[Diagnostic]:
    """A name or alias must resolve to its own concept only.

    Lookups never chain (an id wins, then names and aliases, case-insensitively), so aliases cannot loop; but
    an alias that names another concept - its id, name or alias - makes one word mean two concepts. A "cycle"
    (`a` aliased `b` while `b` is aliased `a`) is this at every step, and each step is reported.
    """
    ids = {cid.casefold(): cid for cid in concepts}
    claimed: dict[str, str] = {}
    for concept in concepts.values():
        for label in dict.fromkeys((concept.name, *concept.aliases)):
            claimed.setdefault(label.casefold(), concept.id)
    diags = []
    for concept in concepts.values():
        for label in dict.fromkeys((concept.name, *concept.aliases)):
            key = label.casefold()
            owner = ids.get(key) or claimed[key]  # a word that is an id belongs to that concept
            if owner == concept.id:
                continue
            what = "name" if label == concept.name else "alias"
            other = "the id" if ids.get(key) == owner else "a name or alias"
            pos = label_pos.get((concept.id, label), concept.pos)
            diags.append(error("CB105", rel, pos, f"{what} `{label}` of `{concept.id}` is also {other} of concept `{owner}`",
                               f"Remove it from `{concept.id}` or from `{owner}`: a name or alias must mean one concept "
                               "(it may not be another concept's id, name or alias)."))
    return diags


def _load_prior(root: Path, config: SiteConfig, index: ConceptIndex, diags: list[Diagnostic]) -> list[PriorRecord]:
    rel = PRIOR
    loaded = _yaml_file(root, rel, diags)
    if loaded is None:
        return []
    src, node = loaded
    schema = Field("list", "what earlier modules established", item={
        "concept": Field("str", "concept id, name or alias", required=True),
        "depth": Field("str", "depth reached", required=True, choices=config.depths),
        "source": Field("str", "slug of the earlier module's lesson", required=True),
        "module": Field("str", "id of the earlier module"),
    })
    records = src.value(node, schema, "prior.yaml") or []
    diags.extend(src.diagnostics)
    prior = []
    for rec in records:
        concept = resolve_concept(rel, index, rec, "concept", diags)
        if concept and "depth" in rec.values and "source" in rec.values:
            prior.append(PriorRecord(concept, rec.get("depth"), str(rec.get("source")), str(rec.get("module", "")), rec.at))
    return prior


def resolve_concept(rel: str, index: ConceptIndex, rec: Record, key: str, diags: list[Diagnostic]) -> str | None:
    text = rec.get(key)
    if text is None:
        return None
    concept = index.resolve(str(text))
    if concept is None and index.complete:  # with concepts.yaml unreadable every concept is unknown: one finding says why
        hint = did_you_mean(str(text), index.suggestions)
        diags.append(error("CB208", rel, rec.pos(key), f"unknown concept `{text}`",
                           f"{hint} Concepts are the ids (or names/aliases) in content/concepts.yaml.".strip() if hint else
                           "Add it to content/concepts.yaml (an id, with `name:` and `definition:`), or use an id, name "
                           "or alias written there."))
    return concept


