"""Data-only cache values: frozen dataclasses <-> JSON, checked against their declared types on the way in.

This is why nothing read from `.course-cache/` can run code: the cache holds JSON, and reading it builds only the
types that the requested dataclass declares (str, int, float, bool, None, tuples, frozensets, mappings, enums and
nested dataclasses). A value that does not match is a CodecError, which the store treats as a miss. Unlike
pickle, the file never says which class to make or which function to call.

A dataclass is stored as the array of its field values, in field order: the declared type names the fields, so the
file need not (JSON objects of named fields took twice the bytes, and twice the time to parse, of a cached lesson).
Hence a union may hold at most one type stored as an array (see _union).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Decoder = Callable[[Any], Any]


class CodecError(ValueError):
    """A stored value does not have the declared shape (corrupt, tampered, or from another version)."""


def encode(value: Any, seen: dict[int, tuple[Any, Any]] | None = None) -> Any:
    """A plain JSON value for `value` (dataclasses as arrays of their fields, enums by value, sets sorted, mappings as
    objects).

    `seen`: what earlier calls encoded, by identity, for values stored together that share parts (a rendering and
    its summaries share every field but one or two): an immutable part (tuple, frozenset, frozen dataclass) is
    encoded once. The entries keep their values alive, so an identity is never reused while the dict is."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if seen is not None:
        found = seen.get(id(value))
        if found is not None:
            return found[1]
    described = _fields_of(type(value))
    if described is not None:
        names, immutable = described
        result: Any = [encode(getattr(value, name), seen) for name in names]
    elif isinstance(value, enum.Enum):
        return value.value
    elif isinstance(value, (tuple, list)):
        if all(type(v) in _LEAVES for v in value):
            return list(value)  # a section's telling words: no call per word
        result, immutable = [encode(v, seen) for v in value], isinstance(value, tuple)
    elif isinstance(value, (frozenset, set)):
        result = sorted((encode(v, seen) for v in value), key=_canonical)
        immutable = isinstance(value, frozenset)
    elif isinstance(value, Mapping):
        if all(type(k) is str for k in value):
            if all(type(v) in _LEAVES for v in value.values()):
                return dict(value)  # a search section's word counts: no call per word
            return {k: encode(v, seen) for k, v in value.items()}
        return [[encode(k, seen), encode(v, seen)] for k, v in value.items()]
    elif isinstance(value, Path):
        return str(value)
    else:
        raise TypeError(f"cannot store a {type(value).__name__} in the cache")
    if seen is not None and immutable:
        seen[id(value)] = (value, result)
    return result


@functools.lru_cache(maxsize=None)
def _fields_of(cls: type) -> tuple[tuple[str, ...], bool] | None:
    """A dataclass type's field names and whether it is frozen (looked up once per type); None for other types."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls)), cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def decode(kind: Any, data: Any) -> Any:
    """The value of declared type `kind` that `data` (from json.loads) encodes; CodecError if it does not fit (and
    TypeError, a bug to fix, not a miss, if `kind` has no encoding)."""
    read = decoder(kind)
    try:
        return read(data)
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as exc:
        raise CodecError(str(exc)) from None


@functools.lru_cache(maxsize=None)
def decoder(kind: Any) -> Decoder:
    """A function checking and converting JSON data to `kind`, made once per type."""
    if kind is Any:
        return lambda data: data
    if kind in (str, bool):
        return _exact(kind)
    if kind is int:
        return _exact(int)
    if kind is float:
        return _float
    if kind is type(None):
        return _none
    if kind is Path:
        return lambda data: Path(_exact(str)(data))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {member.value: member for member in kind}.__getitem__  # KeyError (no such member) is a miss
    if dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        arrays = [a for a in args if dataclasses.is_dataclass(a) or typing.get_origin(a) in (tuple, list, frozenset, set)]
        if len(arrays) > 1:  # both stored as JSON arrays: a value of one could be read as the other
            raise TypeError(f"no cache encoding for {kind!r}: {len(arrays)} of its types are stored as arrays")
        return _union(tuple(decoder(a) for a in args if a is not type(None)), type(None) in args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] in _LEAVES:
                return _leaves_tuple(args[0])
            item = decoder(args[0])
            return lambda data: tuple([item(v) for v in _list(data)])
        items = tuple(decoder(a) for a in args)
        return lambda data: tuple([d(v) for d, v in zip(items, _list(data, len(items)))])
    if origin in (frozenset, set):
        item = decoder(args[0])
        return lambda data: frozenset([item(v) for v in _list(data)])
    if origin in (list,):
        item = decoder(args[0])
        return lambda data: [item(v) for v in _list(data)]
    if origin in (dict, Mapping, typing.Mapping):
        key, value = decoder(args[0]), decoder(args[1])
        if args[0] is str and args[1] in _LEAVES:
            return _leaves_mapping(args[1])
        if args[0] is str:
            return lambda data: {_str(k): value(v) for k, v in _object(data).items()}
        return lambda data: {key(k): value(v) for k, v in (_list(pair, 2) for pair in _list(data))}
    raise TypeError(f"no cache encoding for {kind!r}")


def _dataclass_decoder(cls: type) -> Decoder:
    """The decoder of one dataclass, written out as Python for its fields (as `dataclasses` writes `__init__`): one
    statement per field, no loop over a plan, since decoding every lesson's cached form is most of a warm build's
    work. The source is made from the class's declared fields only, never from stored data."""
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    count = len(fields)
    direct = all(f.init for f in fields) and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    names = {"cls": cls, "new": object.__new__, "_wrong_leaf": _wrong_leaf, "_wrong_shape": _wrong_shape}
    values = [f"v{i}" for i in range(count)]
    lines = [f"def decode_{cls.__name__}(data):",
             f"    if type(data) is not list or len(data) != {count}:",
             f"        _wrong_shape(cls, {count})"]
    if count:
        lines.append(f"    {', '.join(values)}, = data")
    for i, f in enumerate(fields):
        hint = hints[f.name]
        if not f.init:
            continue
        if hint in _LEAVES:  # a plain JSON type: checked inline, not by a call
            names[f"t{i}"] = hint
            lines.append(f"    if type(v{i}) is not t{i}:")
            lines.append(f"        _wrong_leaf(cls, {f.name!r}, t{i}, v{i})")
        else:
            names[f"d{i}"] = decoder(hint)
            lines.append(f"    v{i} = d{i}(v{i})")
    if direct:  # what the generated __init__ would do, without a frozen setattr per field
        fields_dict = ", ".join(f"{f.name!r}: v{i}" for i, f in enumerate(fields))
        lines += ["    made = new(cls)", f"    made.__dict__.update({{{fields_dict}}})", "    return made"]
    else:
        arguments = ", ".join(f"{f.name}=v{i}" for i, f in enumerate(fields) if f.init)
        lines.append(f"    return cls({arguments})")
    exec("\n".join(lines), names)  # noqa: S102 - our own field names and types, as dataclasses does
    return names[f"decode_{cls.__name__}"]


def _wrong_shape(cls: type, count: int) -> None:
    raise ValueError(f"{cls.__name__}: expected an array of its {count} fields")


def _wrong_leaf(cls: type, name: str, leaf: type, value: Any) -> None:
    raise ValueError(f"{cls.__name__}.{name}: expected {leaf.__name__}, found {type(value).__name__}")


def _exact(kind: type) -> Decoder:
    def check(data: Any) -> Any:
        if type(data) is not kind:
            raise ValueError(f"expected {kind.__name__}, found {type(data).__name__}")
        return data
    return check


_str = _exact(str)
"""The check of a string (one function, not one made per call)."""

_LEAVES = (str, int, bool)
"""Types JSON gives exactly as Python needs them: a collection of them is checked in one pass over the types of its
items, without a call per item (a search index's word counts are most of what a cached lesson holds)."""


def _leaves_tuple(kind: type) -> Decoder:
    def decode_leaves(data: Any) -> tuple:
        items = _list(data)
        if not set(map(type, items)) <= {kind}:
            raise ValueError(f"expected a list of {kind.__name__}")
        return tuple(items)
    return decode_leaves


def _leaves_mapping(kind: type) -> Decoder:
    def decode_leaves(data: Any) -> dict:
        obj = _object(data)  # from JSON: its keys are strings
        if not set(map(type, obj.values())) <= {kind}:
            raise ValueError(f"expected values of type {kind.__name__}")
        return dict(obj)
    return decode_leaves


def _float(data: Any) -> float:
    if type(data) not in (int, float):
        raise ValueError(f"expected a number, found {type(data).__name__}")
    return float(data)


def _none(data: Any) -> None:
    if data is not None:
        raise ValueError(f"expected null, found {type(data).__name__}")


def _union(options: tuple[Decoder, ...], optional: bool) -> Decoder:
    """The first option that fits (no two options are stored alike: see decoder)."""
    if len(options) == 1 and optional:  # `X | None`, the common case: no loop, no try
        only = options[0]
        return lambda data: None if data is None else only(data)

    def first_that_fits(data: Any) -> Any:
        if data is None and optional:
            return None
        for option in options:
            try:
                return option(data)
            except (TypeError, KeyError, ValueError, AttributeError):
                continue
        raise ValueError("value fits none of the declared types")
    return first_that_fits


def _list(data: Any, length: int | None = None) -> list:
    if type(data) is not list or (length is not None and len(data) != length):
        raise ValueError("expected a list" + (f" of {length}" if length is not None else ""))
    return data


def _object(data: Any) -> dict:
    if type(data) is not dict:
        raise ValueError(f"expected an object, found {type(data).__name__}")
    return data


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
