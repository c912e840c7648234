"""Fields of a frozen dataclass that may be given their value on first access, not when the object is made.

The build cache (pipeline.cache.codec) reads back every group workbook's model on every run, and most of
those objects are a group's lessons, marks and results, which an edit of one group never looks at for the
other 399. A class lists such fields in `__deferred_fields__`; the cache may then leave them in the
object as a callable that gives the value, under PENDING. Everything else sees an ordinary dataclass:
reading the field (equality, hashing, `dataclasses.replace`, pickling included) calls it once and keeps
the value.
"""

from __future__ import annotations

from typing import Any, ClassVar

PENDING = "__pending__"
"""The instance attribute holding {field name: callable giving its value} while some are not yet read."""


class DeferredFields:
    """Mixin for a frozen dataclass whose `__deferred_fields__` may be filled on first access."""

    __deferred_fields__: ClassVar[tuple[str, ...]] = ()
    """Field names; never one with a default, which the class itself would answer before __getattr__ is asked."""

    def __getattr__(self, name: str) -> Any:
        # Called only for a name the instance does not hold: a deferred field not read yet, or a real miss.
        state = self.__dict__
        pending = state.get(PENDING)
        if pending is None or name not in pending:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = pending[name]()
        state[name] = value
        del pending[name]
        if not pending:
            del state[PENDING]
        return value

    def __getstate__(self) -> dict[str, Any]:
        # A copy or a pickle (a render worker's job) carries values, not the cache's callables.
        for name in tuple(self.__dict__.get(PENDING, ())):
            getattr(self, name)
        return dict(self.__dict__)
