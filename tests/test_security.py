"""Issue 13, security: planted cache files, symlinks in output/ and input/, CSV formula injection,
file modes of personal data, temporary files, invisible characters in names."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
from pathlib import Path

from pipeline import cache


def test_a_planted_cache_file_gives_back_data_and_never_runs_code(tmp_path):
    planted = tmp_path / "render.json"
    # A pickle (the format of earlier versions) is not read at all.
    planted.write_bytes(pickle.dumps((cache.code_version(), "render.json", {"a": 1})))
    assert cache.read_value(planted, "render.json") is None
    # A file naming a class outside the project's data modules, or a module's function, is refused.
    stamp = json.dumps(cache.code_version())
    for name in ("os:system", "pathlib:Path", "pipeline.core.dataset:date_text", "pipeline.core.fsutil:atomic_write"):
        planted.write_text(f'["{name}"]\n[{stamp},"render.json",{{"$c":0,"f":["touch pwned"]}}]', encoding="utf-8")
        assert cache.read_value(planted, "render.json") is None, name
    assert not (tmp_path / "pwned").exists()


def test_the_cache_round_trips_its_values_and_misses_another_key_or_code_version(tmp_path):
    from pipeline.core.dataset import Source
    from pipeline.core.problems import Problem

    path = tmp_path / "x.json"
    value = {"a": (1, None, dt.date(2025, 3, 1)), ("f", "s"): frozenset({("f", "s", 2)}),
             "p": [Problem("f.xlsx", "Лист", 3, "Столбец", "code", "warning", "v", {"col": 2})],
             "$tag": Source("f.xlsx", "Лист", 4)}
    cache.write_value(path, "x", value)
    assert cache.read_value(path, "x") == value
    assert cache.read_value(path, "y") is None
    path.write_text(path.read_text(encoding="utf-8").replace(cache.code_version(), "0" * 64), encoding="utf-8")
    assert cache.read_value(path, "x") is None


def test_a_malformed_tag_in_a_cache_file_is_a_miss(tmp_path):
    from pipeline.core.dataset import Source

    path = tmp_path / "x.json"
    cache.write_value(path, "x", [Source("f.xlsx", "Лист", 4), dt.date(2025, 3, 1), (1, 2)])
    good = path.read_text(encoding="utf-8")
    assert cache.read_value(path, "x") == [Source("f.xlsx", "Лист", 4), dt.date(2025, 3, 1), (1, 2)]
    source, date = '{"$c":0,"f":["f.xlsx","Лист",4]}', '{"$d":"2025-03-01"}'
    assert source in good and date in good
    for spoilt in (good.replace(source, '{"$c":0,"f":["f.xlsx","Лист"]}'),  # a field missing
                   good.replace(source, '{"$c":0,"f":["f.xlsx","Лист",4,5]}'),  # one too many
                   good.replace(source, '{"$c":"0","f":["f.xlsx","Лист",4]}'),  # not an index
                   good.replace(source, '{"$c":1,"f":["f.xlsx","Лист",4]}'),  # no such class
                   good.replace(source, '{"$c":0,"f":"abc"}'),  # fields not a list
                   good.replace(date, '{"$d":20250301}'), good.replace(date, '{"$d":"2025-02-30"}'),
                   good.replace(date, '{"$q":"2025-03-01"}')):
        path.write_text(spoilt, encoding="utf-8")
        assert cache.read_value(path, "x") is None, spoilt


def test_lists_kept_field_by_field_round_trip_and_a_malformed_one_is_a_miss(tmp_path):
    from pipeline.core.dataset import Source
    from pipeline.core.problems import Problem

    path = tmp_path / "x.json"
    sources = [Source("f.xlsx", "Лист", r) for r in range(3)]
    days = [dt.date(2025, 3, d) for d in (1, 2, 31)]
    value = {"list": sources, "tuple": tuple(sources), "days": days, "day tuple": tuple(days),
             "set": frozenset(days), "mixed": [sources[0], dt.date(2025, 1, 1), None],
             "nested": [Problem("f.xlsx", "Лист", r, "Столбец", "code", "warning", (Source("g", "h", r),), {})
                        for r in range(2)],
             "one": [sources[0]], "empty": (), "lists": [[1, 2], [3]]}
    cache.write_value(path, "x", value)
    back = cache.read_value(path, "x")
    assert back == value
    assert type(back["tuple"]) is tuple and type(back["list"]) is list and type(back["day tuple"]) is tuple
    good = path.read_text(encoding="utf-8")
    columns = '"c":[["f.xlsx","f.xlsx","f.xlsx"],["Лист","Лист","Лист"],[0,1,2]]'
    assert columns in good and '{"$dl":["2025-03-01","2025-03-02","2025-03-31"]}' in good
    for spoilt in (good.replace(columns, '"c":[["f.xlsx","f.xlsx","f.xlsx"],["Лист","Лист","Лист"],[0,1]]'),
                   good.replace(columns, '"c":[["f.xlsx","f.xlsx","f.xlsx"],["Лист","Лист","Лист"]]'),
                   good.replace(columns, '"c":"abc"'),
                   good.replace('"2025-03-31"', '"2025-02-30"'), good.replace('"2025-03-31"', "20250331"),
                   good.replace('"n":3,', '"n":"3",'), good.replace('"n":3,', '"n":4,')):
        assert spoilt != good
        path.write_text(spoilt, encoding="utf-8")
        assert cache.read_value(path, "x") is None, spoilt


def test_a_dict_of_one_class_kept_by_columns_round_trips_and_a_malformed_one_is_a_miss(tmp_path):
    from pipeline.core.dataset import Source

    path = tmp_path / "x.json"
    value = {"by id": {f"{n:05d}": Source("f.xlsx", "Лист", n) for n in range(3)},
             "days": {"a": dt.date(2025, 3, 1), "b": dt.date(2025, 3, 2)},
             "one": {"a": Source("f.xlsx", "Лист", 9)}, "$mixed": {"a": Source("f", "s", 1), "b": 2}}
    cache.write_value(path, "x", value)
    back = cache.read_value(path, "x")
    assert back == value and list(back["by id"]) == ["00000", "00001", "00002"]
    good = path.read_text(encoding="utf-8")
    keys = '{"$cd":["00000","00001","00002"],"v":'
    assert keys in good
    for spoilt in (good.replace(keys, '{"$cd":["00000","00001"],"v":'),  # a key short
                   good.replace(keys, '{"$cd":["00000","00001","00002","x"],"v":'),  # one too many
                   good.replace(keys, '{"$cd":[["00000"],"00001","00002"],"v":'),  # a key that is no text
                   good.replace(keys, '{"$cd":"000","v":')):
        assert spoilt != good
        path.write_text(spoilt, encoding="utf-8")
        assert cache.read_value(path, "x") is None, spoilt


def test_tuples_of_plain_values_kept_as_one_list_round_trip_and_a_malformed_one_is_a_miss(tmp_path):
    path = tmp_path / "x.json"
    value = {"sources": [("groups/a.xlsx", "learners.xlsx"), ("groups/b.xlsx",), ()],
             "tuple": (("a", 1, None), ("b", 2.5, True)), "contexts": [{}, {}], "deep": [(("a",),), (("b",),)]}
    cache.write_value(path, "x", value)
    back = cache.read_value(path, "x")
    assert back == value and type(back["sources"][0]) is tuple and type(back["tuple"]) is tuple
    good = path.read_text(encoding="utf-8")
    listed = '{"$tl":[["groups/a.xlsx","learners.xlsx"],["groups/b.xlsx"],[]]}'
    assert listed in good
    for spoilt in (good.replace(listed, '{"$tl":[["groups/a.xlsx","learners.xlsx"],"groups/b.xlsx",[]]}'),
                   good.replace(listed, '{"$tl":"groups/a.xlsx"}')):
        path.write_text(spoilt, encoding="utf-8")
        assert cache.read_value(path, "x") is None, spoilt


# --- builds of a small input --------------------------------------------------------------------

import csv  # noqa: E402
import stat  # noqa: E402
import tempfile  # noqa: E402

import pytest  # noqa: E402
from builders import GROUP, minimal_input, set_cell, write_input  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from test_safety import _formula_input, _write_as_text  # noqa: E402

from pipeline.archive.records import csv_bytes, read_documents  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.core.console import visible  # noqa: E402
from pipeline.core.runlock import exclusive  # noqa: E402

TODAY = "2026-06-15"


@pytest.fixture
def umask():
    """The command line sets the process umask (pipeline.core.private); put the test process's back after."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def build(input_dir: Path, output_dir: Path):
    return CliRunner().invoke(main, ["build", "--input", str(input_dir), "--output", str(output_dir),
                                     "--today", TODAY])


def test_symlinks_in_output_are_refused_and_nothing_is_written_through_them(tmp_path, umask):
    input_dir = write_input(tmp_path / "input", minimal_input())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("build", "reports", "archive", "errors.xlsx"):
        output_dir = tmp_path / f"output-{name}"
        output_dir.mkdir()
        (output_dir / name).symlink_to(elsewhere)
        result = build(input_dir, output_dir)
        assert result.exit_code == 2 and "символическая ссылка" in result.output, result.output
        assert "Traceback" not in result.output
        assert list(elsewhere.iterdir()) == []
    # a link deeper down (output/build/2025 → elsewhere) is refused too, before anything is rendered
    output_dir = tmp_path / "output"
    assert build(input_dir, output_dir).exit_code == 0
    year = next((output_dir / "build").iterdir())
    moved = tmp_path / "moved"
    year.rename(moved)
    year.symlink_to(elsewhere)
    result = build(input_dir, output_dir)
    assert result.exit_code == 2 and str(year.name) in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_workbook_that_is_a_symlink_is_refused(tmp_path, umask):
    input_dir = write_input(tmp_path / "input", minimal_input())
    real = tmp_path / "real.xlsx"
    (input_dir / GROUP).rename(real)
    (input_dir / GROUP).symlink_to(real)
    for command in ("build", "validate"):
        result = CliRunner().invoke(main, [command, "--input", str(input_dir), "--output", str(tmp_path / "out")])
        assert result.exit_code == 2 and "символическая ссылка" in result.output and GROUP in result.output


def test_every_csv_written_keeps_formula_like_text_as_text(tmp_path, umask):
    input_dir = _write_as_text(tmp_path / "input", _formula_input())
    output_dir = tmp_path / "output"
    assert build(input_dir, output_dir).exit_code == 0
    fields = []
    for path in output_dir.rglob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            fields += [f for row in csv.reader(fh) for f in row]
    assert fields and not [f for f in fields if f.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'@SUM(1)" in fields
    # and the archive reads back what was typed
    bags = [p.parent for p in (output_dir / "archive").rglob("documents.csv")]
    assert "@SUM(1)" in {r.case_title for bag in bags for r in read_documents(bag)}


def test_csv_fields_round_trip_exactly():
    values = ["=1+1", "+7 999", "-x", "@a", "\tx", "\rx", "'=x", "'quote", "plain", ""]
    data = csv_bytes(("v",), [{"v": v} for v in values])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    from pipeline.core.xlsx_safe import csv_value

    assert [csv_value(r["v"]) for r in rows] == values


def test_files_with_personal_data_are_private_and_temporary_files_stay_in_output(tmp_path, umask):
    input_dir = write_input(tmp_path / "input", minimal_input())
    output_dir = tmp_path / "output"
    # what a killed run left in the run's temporary folder is removed by the next run
    leftover = output_dir / "cache" / "tmp" / "openpyxl.abc.xml"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("Иванов Иван")
    assert build(input_dir, output_dir).exit_code == 0
    assert not leftover.exists() and not (output_dir / "cache" / "tmp").exists()
    loose = [p for p in output_dir.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o077
             and p.parent != output_dir.parent]
    assert [p for p in loose if p != leftover.parent.parent] == []
    with exclusive(output_dir):
        assert Path(tempfile.gettempdir()).is_relative_to(output_dir.resolve())
    assert not Path(tempfile.gettempdir()).is_relative_to(output_dir.resolve())


def test_shared_group_setting_gives_0640_and_0750(tmp_path, umask, monkeypatch):
    monkeypatch.setenv("UCHET_SHARED_GROUP", "1")
    input_dir = write_input(tmp_path / "input", minimal_input())
    output_dir = tmp_path / "output"
    assert build(input_dir, output_dir).exit_code == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in output_dir.rglob("*")}
    assert modes <= {0o640, 0o750}


BIDI = "\u202e"


def test_bidi_controls_and_emoji_leave_file_names_and_the_console(tmp_path, umask):
    assert visible(f"ПК{BIDI}-2025\u200b-01 🙂 №5 °C") == "ПК-2025-01  №5 °C"
    data = minimal_input()
    set_cell(data, GROUP, "Группа", 2, "Номер группы", f"ПК-2025-01{BIDI}🙂")
    input_dir = write_input(tmp_path / "input", data)
    output_dir = tmp_path / "output"
    result = build(input_dir, output_dir)
    assert result.exit_code == 0 and BIDI not in result.output and "🙂" not in result.output
    names = [p.name for p in output_dir.rglob("*")]
    assert names and not [n for n in names if BIDI in n or "🙂" in n or "\u200b" in n]
    # and whatever reaches the console through the command line's streams loses them too
    result = CliRunner().invoke(main, ["find", "--output", str(output_dir), "--group", f"ПК{BIDI}"])
    assert BIDI not in result.output


def test_console_streams_drop_bidi_controls(monkeypatch):
    import click

    from pipeline.core import console
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    console.install()
    click.echo(f"Группа ПК{BIDI}-1\u200b 🙂")
    click.secho(f"{BIDI}Ошибка", fg="red")
    assert out.getvalue() == "Группа ПК-1 \nОшибка\n"
