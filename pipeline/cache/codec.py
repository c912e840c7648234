"""The build cache's on-disk format: JSON that can only ever give back data, never run code.

The cache keeps the validated workbooks (model objects, problems, text frames) and the render
manifest. Python's pickle would give them back fastest, but unpickling runs whatever a file asks for,
and output/ is often a shared folder. Here every value is plain JSON; what JSON has no word for is a
one-key object whose key starts with «$»:

- {"$c": "module:Class", "f": [...]}: a frozen dataclass of one of the project's data modules
  (ALLOWED), its fields in order. It is made without calling anything: the class is looked up in a
  module the program has imported anyway, must be a dataclass, and gets its fields set;
- {"$d": "2025-03-01"}: a date; {"$t": [...]}: a tuple; {"$f": [...]}: a frozenset; {"$s": [...]}: a set;
- {"$m": [[key, value], ...]}: a dict whose keys are not all text (or one that could be mistaken for a tag);
- {"$x": {...}}: a frame's read-only attrs map (pipeline.load.Fixed);
- {"$df": [columns, [column values], attrs]}: a text frame of the loader (object columns).

Anything else is refused when writing (TypeError): a value the cache cannot keep is a bug to see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
from functools import cache
from typing import Any

# Where the cached dataclasses live; a file naming any other module is refused (CacheFormatError).
ALLOWED = ("pipeline.dataset", "pipeline.problems", "pipeline.carriers.registry", "pipeline.workbook_check",
           "pipeline.moodle", "pipeline.archive.records")


class CacheFormatError(ValueError):
    """A cache file that is not what this code writes: a cache miss."""


def dumps(value: Any) -> bytes:
    """Give the JSON bytes of a cached value."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()


def loads(data: bytes) -> Any:
    """Give back a value written by dumps; CacheFormatError for anything else."""
    try:
        return json.loads(data, object_hook=_decode)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise CacheFormatError(str(exc)) from exc


def _encode(value: Any) -> Any:
    kind = value.__class__
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is tuple:
        return {"$t": [_encode(v) for v in value]}
    if kind is list:
        return [_encode(v) for v in value]
    if kind is dict:
        if all(k.__class__ is str and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is dt.date:
        return {"$d": value.isoformat()}
    if kind is frozenset:
        return {"$f": [_encode(v) for v in value]}
    if kind is set:
        return {"$s": [_encode(v) for v in value]}
    if kind.__name__ == "Fixed" and isinstance(value, dict):
        return {"$x": _encode(dict(value))}
    if kind.__name__ == "DataFrame" and kind.__module__.startswith("pandas"):
        return {"$df": [_encode(list(value.columns)), [_encode(value[c].tolist()) for c in value.columns],
                        _encode(dict(value.attrs))]}
    if dataclasses.is_dataclass(value) and kind.__module__ in ALLOWED:
        return {"$c": f"{kind.__module__}:{kind.__qualname__}",
                "f": [_encode(getattr(value, f.name)) for f in _fields(kind)]}
    raise TypeError(f"the build cache cannot keep a {kind.__module__}.{kind.__qualname__}")


def _decode(obj: dict) -> Any:
    if len(obj) > 2 or not obj:
        return obj
    key = next(iter(obj))
    if key.__class__ is not str or not key.startswith("$"):
        return obj
    value = obj[key]
    if key == "$c":
        kind = _class(value)
        made = object.__new__(kind)
        names = _names(kind)
        values = obj["f"]
        if len(values) != len(names):
            raise CacheFormatError(f"{value}: {len(values)} fields, not {len(names)}")
        made.__dict__.update(zip(names, values, strict=True))
        return made
    if key == "$d":
        return dt.date.fromisoformat(value)
    if key == "$t":
        return tuple(value)
    if key == "$m":
        return {_hashable(k): v for k, v in value}
    if key == "$f":
        return frozenset(_hashable(v) for v in value)
    if key == "$s":
        return {_hashable(v) for v in value}
    if key == "$x":
        return _fixed()(value)
    if key == "$df":
        return _frame(*value)
    raise CacheFormatError(f"unknown tag {key}")


def _hashable(value: Any) -> Any:
    # JSON gives lists; a key or a set member was a tuple (the only unhashable container JSON makes).
    return tuple(_hashable(v) for v in value) if value.__class__ is list else value


@cache
def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if module not in ALLOWED:
        raise CacheFormatError(f"{module} is not a module the cache may name")
    kind = getattr(importlib.import_module(module), qualname, None)
    if not isinstance(kind, type) or not dataclasses.is_dataclass(kind):
        raise CacheFormatError(f"{name} is not a dataclass")
    return kind


@cache
def _fields(kind: type) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(kind)


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


@cache
def _fixed() -> type:
    # Only a cache that holds frames needs pandas and the loader (a no-op build must not import them).
    from pipeline.load import Fixed

    return Fixed


def _frame(columns: list, values: list[list], attrs: dict) -> Any:
    # Imported here: see _fixed.
    import numpy as np
    import pandas as pd

    rows = len(values[0]) if values else 0
    block = np.empty((rows, len(columns)), dtype=object)
    for index, column in enumerate(values):
        block[:, index] = column
    frame = pd.DataFrame(block, columns=columns, dtype=object, copy=False)
    frame.attrs.update(attrs)
    return frame
