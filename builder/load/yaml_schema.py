"""YAML with positions: compose to nodes (C loader when present), validate against a declared schema.

Every value keeps the position of its node, so a finding can name the exact line and column. (One mechanism in one
module: the schema types, the YamlSource that composes and checks against them, and the wording of its findings,
which need the nodes it holds; split, each part would reach into the other's nodes.)
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model.diagnostics import Diagnostic, Pos, error
from ..suggest import short

try:  # the C loader is ~10x faster; the pure-Python one gives the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "list": "a list",
    "map": "a mapping (key: value lines)",
    "strlist": "a list of text values",
}


@dataclass(frozen=True)
class Field:
    """One key of a declared mapping schema."""

    type: str
    """"str", "int", "bool", "strlist", "map" (free-form mapping), "list" (list of records of `item`)."""
    doc: str
    """One line saying what the key is for (shown in hints and docs)."""
    required: bool = False
    choices: tuple[str, ...] = ()
    """For "str" and "strlist": the allowed values (empty = any)."""
    item: dict[str, Field] | None = None
    """For "list": the schema of each record."""


@dataclass(frozen=True)
class Record:
    """A validated mapping: values by key, and the position of each value and of the mapping itself."""

    at: Pos
    values: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Pos] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """The value of `key`, or `default` when absent or invalid."""
        return self.values.get(key, default)

    def pos(self, key: str) -> Pos:
        """The position of `key`'s value (`key.sub` for a key inside a "map" value), else of its parent, else of the mapping."""
        if key in self.positions:
            return self.positions[key]
        return self.pos(key.rsplit(".", 1)[0]) if "." in key else self.at


class YamlSource:
    """One YAML text inside a file: composes it and validates nodes, collecting diagnostics."""

    def __init__(self, path: str, text: str, first_line: int = 1) -> None:
        self.path = path
        self.text = text
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []
        self._lines = text.split("\n")  # for positions kept inside the text

    def pos(self, node: yaml.Node) -> Pos:
        """File position of a node (an empty value at the end of a text without a final newline: the text's end)."""
        return self._clamp(node.start_mark)

    def text_pos(self, node: yaml.Node) -> Pos:
        """Where a scalar's text itself starts: after its opening quote; for a block scalar (`|` or `>`), on the line
        after the indicator, at that line's indentation."""
        pos = self.pos(node)
        style = getattr(node, "style", None)
        if style in ('"', "'"):
            return Pos(pos.line, pos.column + 1)
        if style in ("|", ">") and pos.line - self.first_line + 1 < len(self._lines):
            following = self._lines[pos.line - self.first_line + 1]
            return Pos(pos.line + 1, len(following) - len(following.lstrip(" ")) + 1)
        return pos

    def compose(self) -> yaml.Node | None:
        """Compose the text to a node tree; a syntax error becomes a diagnostic at its line."""
        try:
            return yaml.compose(self.text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            self.diagnostics.append(self._syntax_error(exc))
        except yaml.reader.ReaderError as exc:  # a control character, or bytes that are not text
            line = self.text.count("\n", 0, max(exc.position, 0)) + self.first_line
            char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
            self.diagnostics.append(error("CB202", self.path, Pos(line), f"YAML cannot contain the control character {char}",
                                          "Delete the invisible character on this line (pasted text often carries one)."))
        except yaml.YAMLError as exc:
            self.diagnostics.append(error("CB202", self.path, Pos(self.first_line), f"YAML error: {exc}", "Check the YAML syntax."))
        return None

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        mark = exc.problem_mark or exc.context_mark
        opened = _UNCLOSED.get((exc.context or "").strip())
        if opened and exc.context_mark is not None:
            # The parser notices an unclosed quote or bracket lines later; the author needs the line that opened it.
            start = exc.context_mark
            where = f" (the parser gave up on line {self._clamp(mark).line})" if mark and mark.line != start.line else ""
            return error("CB202", self.path, self._clamp(start),
                         f"YAML syntax error: {opened} that starts here is not closed{where}",
                         "Close it, or put the whole value in quotes if it should contain that character.")
        if (exc.context or "").strip() == "while scanning a simple key" and exc.context_mark is not None:
            mark = exc.context_mark  # the line that is not `key: value`, not the line where the parser noticed
        hint = _yaml_hint(problem)
        if "mapping values are not allowed" in problem and mark is not None:
            hint = _over_indented(self.text.split("\n"), mark.line) or hint
        return error("CB202", self.path, self._clamp(mark), f"YAML syntax error: {problem}", hint)

    def _clamp(self, mark: yaml.Mark | None) -> Pos:
        """A mark's file position, kept inside the text (PyYAML's end-of-stream mark is one line past a missing newline)."""
        if mark is None:
            return Pos(self.first_line)
        lines = self._lines
        line = min(mark.line, len(lines) - 1)
        column = mark.column + 1 if line == mark.line else len(lines[line]) + 1
        return Pos(line + self.first_line, min(column, len(lines[line]) + 1))

    def plain(self, node: yaml.Node, what: str = "the value") -> Any:
        """The Python value of any node; None (with a finding) when YAML cannot construct it (a bad tag or value)."""
        try:
            return _fresh_constructor().construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
            reason = getattr(exc, "problem", None)
            if not reason:
                shown = f"`{short(str(node.value))}`" if isinstance(node, yaml.ScalarNode) else "this value"
                reason = f"{shown} is not a valid `{node.tag.rsplit(':', 1)[-1]}`"
            tag = f" (tag `{node.tag}`)" if node.tag and not node.tag.startswith("tag:yaml.org,2002:") else ""
            self.diagnostics.append(error("CB205", self.path, self.pos(node), f"{what} cannot be read{tag}: {reason}",
                                          "Write plain YAML: text, numbers, lists and `key: value` lines, without `!tags`."))
            return _UNREADABLE

    def record(self, node: yaml.Node, schema: dict[str, Field], what: str, code_unknown: str = "CB204") -> Record | None:
        """Validate a mapping node against a schema: unknown keys, missing keys, wrong types, bad values."""
        if not isinstance(node, yaml.MappingNode):
            self._wrong_type(node, what, "map")
            return None
        rec = Record(self.pos(node))
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in schema:
                known = ", ".join(schema)
                guess = difflib.get_close_matches(str(key), list(schema), n=1)
                hint = f"Did you mean `{guess[0]}`? " if guess else ""
                self.diagnostics.append(error(code_unknown, self.path, self.pos(key_node),
                                              f"unknown key `{short(str(key))}` in {what}", f"{hint}Allowed keys: {known}."))
                continue
            if key in seen:
                self.diagnostics.append(error("CB204", self.path, self.pos(key_node),
                                              f"key `{key}` appears twice in {what}", "Keep one of them."))
                continue
            seen.add(key)
            value = self.value(value_node, schema[key], f"`{key}` in {what}")
            if value is not None:
                rec.values[key] = value
            rec.positions[key] = self.pos(value_node)
            if schema[key].type == "map" and isinstance(value_node, yaml.MappingNode):
                for sub_node, _ in value_node.value:
                    if isinstance(sub_node, yaml.ScalarNode):
                        rec.positions.setdefault(f"{key}.{sub_node.value}", self.pos(sub_node))
        for key, spec in schema.items():
            if spec.required and key not in seen:
                self.diagnostics.append(error("CB206", self.path, rec.at, f"{what} is missing the required key `{key}`",
                                              f"Add `{key}:` ({spec.doc})."))
        return rec

    def value(self, node: yaml.Node, spec: Field, what: str) -> Any:
        """Validate one value against its field spec; None when invalid (a diagnostic is recorded)."""
        if spec.type == "list":
            if _is_null(node):
                return []
            if not isinstance(node, yaml.SequenceNode):
                return self._wrong_type(node, what, "list")
            assert spec.item is not None
            records = [self.record(item, spec.item, f"an item of {what}") for item in node.value]
            return [r for r in records if r is not None]
        if spec.type == "map":
            if not isinstance(node, yaml.MappingNode):
                return self._wrong_type(node, what, "map")
            value = self.plain(node, what)
            return None if value is _UNREADABLE else value
        if spec.type == "strlist":
            if not isinstance(node, yaml.SequenceNode):
                return self._wrong_type(node, what, "strlist")
            values = []
            for item in node.value:
                v = self._scalar_of(item, "str", spec, f"an item of {what}")
                if v is not None:
                    values.append(v)
            return values
        return self._scalar_of(node, spec.type, spec, what)

    def _scalar_of(self, node: yaml.Node, type_: str, spec: Field, what: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
            return self._wrong_type(node, what, type_)
        value = self.plain(node, what)
        if value is _UNREADABLE:
            return None
        ok = {
            "str": lambda v: isinstance(v, (str, int, float, datetime.date)) and not isinstance(v, bool),
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "bool": lambda v: isinstance(v, bool),
        }[type_](value)
        if not ok:
            return self._wrong_type(node, what, type_)
        if type_ == "str":
            value = node.value  # keep the text as written ("1.10" stays "1.10" only when quoted; see hint)
        if spec.choices and value not in spec.choices:
            guess = difflib.get_close_matches(str(value).upper() if str(value).upper() in spec.choices else str(value), spec.choices, n=1)
            hint = f"Did you mean `{guess[0]}`? " if guess else ""
            self.diagnostics.append(error("CB207", self.path, self.pos(node), f"`{short(str(value))}` is not allowed for {what}",
                                          f"{hint}Use one of: {', '.join(spec.choices)}."))
            return None
        return value

    def _wrong_type(self, node: yaml.Node, what: str, type_: str) -> None:
        found = _describe(node)
        self.diagnostics.append(error("CB205", self.path, self.pos(node),
                                      f"{what} should be {TYPE_NAMES[type_]}, not {found}",
                                      _type_hint(type_)))
        return None


_UNREADABLE = object()
"""What `plain` returns for a node YAML cannot construct (a finding was recorded)."""

_UNCLOSED = {
    "while scanning a quoted scalar": "a quoted text",
    "while parsing a quoted scalar": "a quoted text",
    "while parsing a flow sequence": "a `[` list",
    "while parsing a flow mapping": "a `{` mapping",
}


def _fresh_constructor() -> yaml.constructor.SafeConstructor:
    return yaml.constructor.SafeConstructor()


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _is_null(node):
        return "nothing (empty value)"
    kind = node.tag.rsplit(":", 1)[-1]
    return {"int": "a number", "float": "a number", "bool": "true/false", "str": "text"}.get(kind, kind) + f" (`{short(str(node.value))}`)"


def _type_hint(type_: str) -> str:
    return {
        "str": "Write it as text on the same line, e.g. `key: some text` (quote it if it starts with a special character).",
        "int": "Write a whole number, e.g. `position: 3`.",
        "bool": "Write `true` or `false`.",
        "list": "Write a YAML list: one `- ` item per line, indented under the key.",
        "map": "Write indented `key: value` lines under the key.",
        "strlist": "Write a list of text values in brackets, e.g. `[first, second]`, or one `- item` per line.",
    }[type_]


_KEY_WITH_VALUE = re.compile(r"^(\s*)(- )?([\w-]+)\s*:\s*\S")


def _over_indented(lines: list[str], line: int) -> str:
    """The hint for a `key: value` line indented deeper than the `key: value` line above it: YAML reads it as the
    rest of that value, and then stumbles on its colon."""
    if not 0 < line < len(lines):
        return ""
    above = next((lines[i] for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), "")
    here, previous = _KEY_WITH_VALUE.match(lines[line]), _KEY_WITH_VALUE.match(above)
    if not here or not previous:
        return ""
    indent, above_indent = len(here.group(1)), len(previous.group(1)) + len(previous.group(2) or "")
    if indent <= above_indent:
        return ""
    return (f"This line is indented more than `{previous.group(3)}:` above it, so YAML reads it as the rest of that "
            f"value. Indent `{here.group(3)}:` like `{previous.group(3)}:` ({above_indent} spaces).")


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "YAML does not allow tab characters for indentation; indent with spaces."
    if "mapping values are not allowed" in problem:
        return "A value contains `: ` - put the whole value in quotes."
    if "could not find expected ':'" in problem:
        return "Each line of a mapping needs `key: value`; check for a missing colon or a stray line."
    return "Fix the YAML at this line (indentation, quotes, colons)."
