"""A group's lessons, marks and module results are read back from the build cache only when something asks
for them (pipeline.core.deferred): an edit of one group does not decode the other groups' rows, and
whatever does ask gets exactly what was kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle

import pytest

from pipeline import cache
from pipeline.cache import BuildCache
from pipeline.cache.learner_digests import named_learners, named_of
from pipeline.core.deferred import PENDING, DeferredFields
from pipeline.core.errors import UchetError
from pipeline.intake.validate import validate_input
from tests.sample_run import built_sample

TODAY = dt.date(2026, 6, 15)
DEFERRED = ("members", "lessons", "marks", "interim", "final", "issued", "tests")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_sample(tmp_path_factory.mktemp("deferred"), TODAY)


@pytest.fixture(scope="module")
def group(built):
    """A group of the sample with lessons, marks, module results and test results, read whole."""
    dataset = validate_input(built[0]).dataset
    found = [g for g in dataset.groups.values() if g.lessons and g.marks and g.interim and g.tests]
    assert found  # the tests below mean something only with rows in every deferred field
    return found[0]


def test_a_group_read_back_holds_its_rows_until_asked_and_then_gives_them_exactly(group, tmp_path):
    path = tmp_path / "g.json"
    cache.write_value(path, "g", [group])
    back = cache.read_value(path, "g")[0]
    assert set(back.__dict__[PENDING]) == set(DEFERRED)
    assert not set(DEFERRED) & set(back.__dict__)
    assert back.number == group.number and back.orders == group.orders  # the rest is read at once
    assert back.lessons == group.lessons
    assert "lessons" in back.__dict__ and "lessons" not in back.__dict__[PENDING]
    assert back == group
    assert PENDING not in back.__dict__  # equality read every field; nothing is left pending


def test_copies_and_pickles_of_a_group_read_back_carry_every_row(group, tmp_path):
    path = tmp_path / "g.json"
    cache.write_value(path, "g", group)
    changed = dataclasses.replace(cache.read_value(path, "g"), correction="исправлено")
    assert changed.marks == group.marks and changed.interim == group.interim and changed.correction == "исправлено"
    assert pickle.loads(pickle.dumps(cache.read_value(path, "g"))) == group  # a render worker's job
    with pytest.raises(AttributeError):
        cache.read_value(path, "g").no_such_field  # noqa: B018


def _rewritten(path, change) -> None:
    """Rewrite a cache file's value (its JSON, not the objects) with `change`, given the value and the
    deferred fields' texts after it (a bytearray it may add to)."""
    head, _, rest = path.read_bytes().partition(b"\n")
    body, _, texts = rest.partition(b"\n")
    value, texts = json.loads(body), bytearray(texts)
    change(value, texts)
    path.write_bytes(head + b"\n" + json.dumps(value, ensure_ascii=False).encode("utf-8") + b"\n" + bytes(texts))


def test_a_deferred_value_planted_where_none_belongs_is_a_miss(group, tmp_path):
    path = tmp_path / "g.json"

    def fields(value):  # [stamp, key, {"$c": n, "f": [...]}]
        return value[2]["f"]

    def first_deferred(value):
        return next(f for f in fields(value) if isinstance(f, dict) and "$z" in f)

    def loose(value, texts):
        value[2] = [{"$z": [0, 2]}, value[2]]

    def as_text(value, texts):  # the deferred value inside the JSON, as a string
        first_deferred(value)["$z"] = "[]"

    def not_a_place(value, texts):
        first_deferred(value)["$z"] = [1]

    def past_the_end(value, texts):
        first_deferred(value)["$z"] = [0, len(texts) + 1]

    def backwards(value, texts):
        first_deferred(value)["$z"] = [2, 1]

    def in_a_plain_field(value, texts):
        texts += '"ПК-1"'.encode()
        fields(value)[0] = {"$z": [len(texts) - 6, len(texts)]}  # the group number is not deferred

    for spoil in (loose, as_text, not_a_place, past_the_end, backwards, in_a_plain_field):
        cache.write_value(path, "g", group)
        _rewritten(path, spoil)
        assert cache.read_value(path, "g") is None, spoil.__name__


def test_a_deferred_field_with_a_default_is_refused_when_written(tmp_path):
    @dataclasses.dataclass(frozen=True)
    class Shadowed(DeferredFields):
        rows: tuple = ()
        __deferred_fields__ = ("rows",)

    Shadowed.__module__ = "pipeline.core.dataset"  # one of the modules the cache may name
    with pytest.raises(TypeError, match="rows"):
        cache.write_value(tmp_path / "s.json", "s", Shadowed((1,)))


def test_no_model_class_defers_a_field_with_a_default():
    # The class's default would answer a read before the deferred value is asked for (a silent wrong value).
    from pipeline.core import dataset

    for kind in vars(dataset).values():
        if isinstance(kind, type) and issubclass(kind, DeferredFields) and kind is not DeferredFields:
            fields = {f.name: f for f in dataclasses.fields(kind)}
            for name in kind.__deferred_fields__:
                assert name in fields and fields[name].default is dataclasses.MISSING, (kind, name)
                assert fields[name].default_factory is dataclasses.MISSING, (kind, name)


@pytest.mark.parametrize("text", ["[1,", '{"$c":99,"f":[]}', '{"$q":1}'])
def test_deferred_text_that_cannot_be_read_is_told_in_russian_when_first_asked_for(group, tmp_path, text):
    path = tmp_path / "g.json"
    cache.write_value(path, "g", group)

    def spoil(value, texts):
        deferred = [f for f in value[2]["f"] if isinstance(f, dict) and "$z" in f]
        start = len(texts)
        texts += text.encode("utf-8")
        deferred[0]["$z"] = [start, len(texts)]  # the first deferred field: the members

    _rewritten(path, spoil)
    back = cache.read_value(path, "g")
    assert back is not None and back.number == group.number  # the file itself reads
    with pytest.raises(UchetError, match="make clean"):
        back.members  # noqa: B018


def test_a_later_run_reads_no_other_groups_rows_and_knows_whom_each_group_names(built):
    input_dir, output = built
    dataset = validate_input(input_dir, BuildCache(output, read_only=True)).dataset
    assert dataset is not None
    with_export = {g.number for g in dataset.groups.values() if (input_dir / g.file).with_suffix(".moodle.csv").exists()}
    assert with_export  # the sample has a Moodle export: that group is read whole to attach it
    for number, group in dataset.groups.items():
        if number not in with_export:
            assert set(group.__dict__.get(PENDING, ())) == set(DEFERRED), number
    for number, group in dataset.groups.items():
        assert named_of(dataset, number) == named_learners(group), number
