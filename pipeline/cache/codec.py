"""The build cache's on-disk format: JSON that can only ever give back data, never run code.

The cache keeps the validated workbooks (model objects, problems, text frames) and the render
manifest. Python's pickle would give them back fastest, but unpickling runs whatever a file asks for,
and output/ is often a shared folder. Here every value is plain JSON; what JSON has no word for is a
one-key object whose key starts with «$»:

- {"$c": n, "f": [...]}: a frozen dataclass of one of the project's data modules (ALLOWED), its
  fields in order; n is its place in the file's first line, the list of "module:Class" names it uses
  (300,000 objects at 400 groups: the name once per file, not once per object). It is made without
  calling anything: the class is looked up in a module the program has imported anyway, must be a
  dataclass, and gets its fields set;
- {"$cl": n, "n": count, "c": [[...], ...]}: a list of `count` dataclasses all of class n, field by field
  (each field's values are one list, itself encoded by these rules); {"$dl": ["2025-03-01", ...]}: a list
  of dates. Most of the cache is such lists (the learners, lessons, marks of a workbook), and read back
  this way they cost a JSON object per list instead of one per learner: the cached checks of 400
  workbooks, 570,000 objects, were read in a third of the time;
- {"$cd": [key, ...], "v": {"$cl": ...}}: a dict with text keys whose values are all dataclasses of one
  class (the learners by id: 10,000 objects with a person and a source each, a JSON object per field);
- {"$tl": [[...], ...]}: a list of tuples of text, numbers and None (the sources of a carrier's documents);
- {"$d": "2025-03-01"}: a date; {"$t": [...]}: a tuple; {"$f": [...]}: a frozenset; {"$s": [...]}: a set;
- {"$m": [[key, value], ...]}: a dict whose keys are not all text (or one that could be mistaken for a tag);
- {"$x": {...}}: a frame's read-only attrs map (pipeline.intake.load.Fixed);
- {"$df": [columns, [column values], attrs]}: a text frame of the loader (object columns);
- {"$z": [start, end]}: a field a class names in `__deferred_fields__` (pipeline.core.deferred), in a
  dataclass's "f" only: the JSON text of its value is kept after the value's line, from byte `start` to
  `end` of what follows it. It is read when the field is first asked for, with the same rules and the
  same class line: an edit of one group reads the lessons, marks, module and test results of that group,
  not of 400 (the cached checks of 400 workbooks: 0.45 s to read, then 0.23 s). Kept after the value
  rather than as a JSON string inside it, the texts are not even scanned until asked for: at 2,000
  groups they are 85 MB of the 115 MB of cached checks, and scanning them as escaped strings cost half
  of reading the checks.

Anything else is refused when writing (TypeError): a value the cache cannot keep is a bug to see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
from collections.abc import Callable
from functools import cache
from itertools import chain
from operator import attrgetter
from typing import Any

from pipeline.core.deferred import PENDING
from pipeline.core.errors import UchetError

# Where the cached dataclasses live; a file naming any other module is refused (CacheFormatError).
ALLOWED = ("pipeline.core.dataset", "pipeline.core.problems", "pipeline.carriers.registry", "pipeline.intake.workbook_check",
           "pipeline.intake.moodle", "pipeline.archive.records", "pipeline.cache.render_cache")


_PLAIN = frozenset({str, int, float, bool, type(None)})
_EMPTY_TUPLE = {"$t": []}  # shared: the JSON writer only reads it


class CacheFormatError(ValueError):
    """A cache file that is not what this code writes: a cache miss."""


class _Encoding:
    """What one file's value needs besides its JSON: the classes it names, and its deferred fields' texts."""

    def __init__(self) -> None:
        self.classes: dict[type, int] = {}
        self.texts: list[bytes] = []
        self.size = 0

    def later(self, text: str) -> list[int]:
        """Keep a deferred field's JSON text after the value; give where it is (start and end byte)."""
        data = text.encode("utf-8")
        start = self.size
        self.texts.append(data)
        self.size += len(data)
        return [start, self.size]


def dumps(value: Any) -> bytes:
    """Give the bytes of a cached value: a line naming its classes, a line of the value (both JSON), then
    the JSON texts of its deferred fields, one after the other."""
    out = _Encoding()
    body = _text(_encode(value, out))
    names = [f"{kind.__module__}:{kind.__qualname__}" for kind in out.classes]
    # JSON as json.dumps writes it holds no line break (one in a text is written «\n»): the value is one line.
    return (json.dumps(names) + "\n" + body + "\n").encode("utf-8") + b"".join(out.texts)


def loads(data: bytes) -> Any:
    """Give back a value written by dumps; CacheFormatError for anything else."""
    # Cut by position, not partition(): the deferred texts (most of a workbook's cached checks) are not
    # copied twice before anything reads them (2,000 group workbooks: a tenth of a second).
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first != -1 else -1
    head = data[:first]
    body = data[first + 1:second] if second != -1 else data[first + 1:]
    texts = memoryview(data)[second + 1:] if second != -1 else memoryview(b"")
    try:
        if first == -1:
            raise CacheFormatError("no class line")
        names = json.loads(head)
        if not isinstance(names, list):
            raise CacheFormatError("the class line is not a list")
        kinds = [_class(name) for name in names]  # every class is checked before the value is read
        fields = [_names(kind) for kind in kinds]
        decoder = _Decoder(kinds, fields, texts)
        return decoder.read(body)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise CacheFormatError(str(exc)) from exc


def _encode(value: Any, out: _Encoding) -> Any:
    kind = value.__class__
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is tuple:
        # Most tuples of a column of them are empty (a learner's awards): no list, no questions.
        return {"$t": _encode(list(value), out)} if value else _EMPTY_TUPLE
    if kind is list:
        # The classes of a column at once, in C (learners.xlsx at 50,000 learners: twenty columns of 50,000
        # values; asking each value in Python was a quarter of the time of writing its check).
        classes = set(map(type, value))
        if classes <= _PLAIN:
            return value  # text, numbers, None: JSON as they are (most columns of the lists below)
        if len(classes) == 1 and len(value) > 1:
            first = classes.pop()
            if first is dt.date:
                return {"$dl": [v.isoformat() for v in value]}
            if first is tuple and set(map(type, chain.from_iterable(value))) <= _PLAIN:
                return {"$tl": [list(v) for v in value]}
            if dataclasses.is_dataclass(first) and first.__module__ in ALLOWED and not _deferred(first):
                return {"$cl": out.classes.setdefault(first, len(out.classes)), "n": len(value),
                        "c": [_encode(list(map(attrgetter(f.name), value)), out) for f in _fields(first)]}
        return [_encode(v, out) for v in value]
    if kind is dict:
        if all(k.__class__ is str and not k.startswith("$") for k in value):
            if len(value) > 1:
                columns = _encode(list(value.values()), out)
                if columns.__class__ is dict:  # {"$cl": ...} or {"$dl": ...}: values all of one class
                    return {"$cd": list(value), "v": columns}
            return {k: _encode(v, out) for k, v in value.items()}
        return {"$m": [[_encode(k, out), _encode(v, out)] for k, v in value.items()]}
    if kind is dt.date:
        return {"$d": value.isoformat()}
    if kind is frozenset:
        return {"$f": _encode(list(value), out)}
    if kind is set:
        return {"$s": _encode(list(value), out)}
    if kind.__name__ == "Fixed" and isinstance(value, dict):
        return {"$x": _encode(dict(value), out)}
    if kind.__name__ == "DataFrame" and kind.__module__.startswith("pandas"):
        return {"$df": [_encode(list(value.columns), out), [_encode(value[c].tolist(), out) for c in value.columns],
                        _encode(dict(value.attrs), out)]}
    if dataclasses.is_dataclass(value) and kind.__module__ in ALLOWED:
        deferred = _deferred(kind)
        return {"$c": out.classes.setdefault(kind, len(out.classes)),
                "f": [{"$z": out.later(_text(_encode(getattr(value, f.name), out)))} if f.name in deferred
                      else _encode(getattr(value, f.name), out) for f in _fields(kind)]}
    raise TypeError(f"the build cache cannot keep a {kind.__module__}.{kind.__qualname__}")


def _text(encoded: Any) -> str:
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"), check_circular=False)


class _Decoder:
    """Reads one cache file's value, and later the deferred fields found in it (with its class line)."""

    def __init__(self, kinds: list[type], fields: list[tuple[str, ...]], texts: bytes | memoryview = b""):
        self.hook = _pairs_decoder(kinds, fields, self)
        self.texts = texts
        """The JSON texts of the deferred fields, after the value: never scanned until one is asked for."""
        self.pending = 0
        """Deferred texts read and not yet placed in a field that may hold one (a planted file's are refused)."""

    def read(self, text: str | bytes) -> Any:
        before = self.pending
        value = json.loads(text, object_pairs_hook=self.hook)
        if self.pending != before:
            raise CacheFormatError("a deferred value outside a deferred field")
        return value

    def later(self, where: Any) -> _Deferred:
        if where.__class__ is not list or len(where) != 2 or not all(
                n.__class__ is int and 0 <= n <= len(self.texts) for n in where) or where[0] > where[1]:
            raise CacheFormatError("a deferred value is not where the file's texts are")
        self.pending += 1
        return _Deferred(self, where[0], where[1])


class _Deferred:
    """Where the JSON text of a deferred field is, read when the field is first asked for (pipeline.core.deferred)."""

    __slots__ = ("decoder", "start", "end")

    def __init__(self, decoder: _Decoder, start: int, end: int):
        self.decoder, self.start, self.end = decoder, start, end

    def __call__(self) -> Any:
        try:
            return self.decoder.read(bytes(self.decoder.texts[self.start:self.end]))
        except (CacheFormatError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            # The file was read whole and sound as JSON; only a file planted or edited by hand gets here.
            raise UchetError("Кэш сборки в папке output/cache повреждён или изменён вручную. Удалите папку "
                             "cache в папке результатов (или выполните make clean) и запустите сборку снова.") from exc


def _adopt(made: Any, deferred: frozenset[str], decoder: _Decoder) -> None:
    # A deferred field's text leaves the object's fields for its PENDING map; any other field holding one is
    # a planted file.
    state = made.__dict__
    pending = {}
    for name in deferred:
        value = state[name]
        if value.__class__ is _Deferred:
            pending[name] = state.pop(name)
    if pending:
        decoder.pending -= len(pending)
        state[PENDING] = pending


def _pairs_decoder(kinds: list[type], fields: list[tuple[str, ...]],
                   decoder: _Decoder) -> Callable[[list[tuple[str, Any]]], Any]:
    """Give the hook that makes each JSON object; the common tags (a dataclass, a date, a tuple) are told
    from the object's key-value pairs without building a dict first (a third of the time of reading
    the cached checks of 400 workbooks, 430,000 objects, most of them a dataclass or a date)."""
    new = object.__new__
    classes = [(kind, names, len(names)) for kind, names in zip(kinds, fields, strict=True)]
    deferred = [_deferred(kind) for kind in kinds]
    date = dt.date.fromisoformat

    def decode(pairs: list[tuple[str, Any]]) -> Any:
        count = len(pairs)
        if not count:
            return {}  # an empty context, in every document of the render manifest
        if count == 2:
            (tag, index), (key, values) = pairs
            if tag == "$cd" and key == "v" and index.__class__ is list and values.__class__ is list:
                return dict(zip(index, values, strict=True))
            if tag == "$c" and key == "f" and index.__class__ is int and values.__class__ is list:
                kind, names, size = classes[index]
                if len(values) != size:
                    raise CacheFormatError(f"{kind.__qualname__}: {len(values)} fields, not {size}")
                made = new(kind)
                made.__dict__.update(zip(names, values, strict=True))
                if deferred[index]:
                    _adopt(made, deferred[index], decoder)
                return made
        elif count == 1:
            tag, value = pairs[0]
            if tag == "$d":
                return date(value)
            if tag == "$z":
                return decoder.later(value)
            if tag == "$t" and value.__class__ is list:
                return tuple(value)
            if tag == "$dl" and value.__class__ is list:
                return list(map(date, value))
            if tag == "$tl" and value.__class__ is list and all(v.__class__ is list for v in value):
                return [tuple(v) for v in value]
        elif count == 3 and pairs[0][0] == "$cl":
            return _columns(classes, *pairs)
        return _decode(kinds, fields, dict(pairs), decoder)

    return decode


def _columns(classes: list[tuple[type, tuple[str, ...], int]], tag: tuple[str, Any], count: tuple[str, Any],
             columns: tuple[str, Any]) -> list:
    """Give the list of dataclasses kept field by field ({"$cl": n, "n": count, "c": columns})."""
    (_, index), (n_key, n), (c_key, values) = tag, count, columns
    if n_key != "n" or c_key != "c" or index.__class__ is not int or n.__class__ is not int or values.__class__ is not list:
        raise CacheFormatError("a list of dataclasses is not tagged as written")
    kind, names, size = classes[index]
    if _deferred(kind):
        raise CacheFormatError(f"{kind.__qualname__} is never written as columns")
    if len(values) != size or any(v.__class__ is not list or len(v) != n for v in values):
        raise CacheFormatError(f"{kind.__qualname__}: the columns do not match {size} fields of {n} objects")
    new = object.__new__
    made = [new(kind) for _ in range(n)]
    if size:
        for obj, row in zip(made, zip(*values, strict=True), strict=True):
            obj.__dict__.update(zip(names, row, strict=True))
    return made


def _decode(kinds: list[type], fields: list[tuple[str, ...]], obj: dict, decoder: _Decoder) -> Any:
    key = next(iter(obj), "")  # a tag is the first key
    if key[:1] != "$" or len(obj) > 2:
        return obj
    value = obj[key]
    if key == "$c":
        kind = kinds[value]
        made = object.__new__(kind)
        names = fields[value]
        values = obj["f"]
        if values.__class__ is not list or len(values) != len(names):
            raise CacheFormatError(f"{kind.__qualname__}: {len(values)} fields, not {len(names)}")
        made.__dict__.update(zip(names, values, strict=True))
        if _deferred(kind):
            _adopt(made, _deferred(kind), decoder)
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
def _deferred(kind: type) -> frozenset[str]:
    names = frozenset(getattr(kind, "__deferred_fields__", ()))
    shadowed = sorted(name for name in names if hasattr(kind, name))
    if shadowed:  # a field with a default: a read of it would get the class's default, never the value
        raise TypeError(f"{kind.__qualname__}: deferred fields with a default: {', '.join(shadowed)}")
    return names


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


@cache
def _fixed() -> type:
    # lazy: start-up — pandas (0.5 s), only for cached frames; the no-op build reads build.json here
    from pipeline.intake.load import Fixed

    return Fixed


def _frame(columns: list, values: list[list], attrs: dict) -> Any:
    # lazy: start-up — pandas (0.5 s), only for cached frames; the no-op build reads build.json here
    import numpy as np
    import pandas as pd

    rows = len(values[0]) if values else 0
    block = np.empty((rows, len(columns)), dtype=object)
    for index, column in enumerate(values):
        block[:, index] = column
    frame = pd.DataFrame(block, columns=columns, dtype=object, copy=False)
    frame.attrs.update(attrs)
    return frame
