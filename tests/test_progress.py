"""Progress lines off a terminal: counts, and the time left only where the steps cost alike (issue 18)."""

from __future__ import annotations

from pipeline.core.progress import progress, remaining


def test_a_plain_line_tells_the_time_left_from_the_pace_so_far(monkeypatch, capsys):
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    clock = iter([0.0, 10.0, 10.0])  # started, then 1 of 4 books done 10 s later: 30 s to go
    monkeypatch.setattr("pipeline.core.progress.time.monotonic", lambda: next(clock))
    with progress("Чтение рабочих книг", 4, what="книга") as advance:
        advance(1)
    err = capsys.readouterr().err
    assert "Чтение рабочих книг: книга 1 из 4 (25 %), осталось около 30 с" in err


def test_steps_of_unlike_cost_show_their_count_and_no_time_left(monkeypatch, capsys):
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    with progress("Отчеты", 4, what="шаг", eta=False) as advance:
        advance(1)
    err = capsys.readouterr().err
    assert "Отчеты: шаг 1 из 4 (25 %)" in err and "осталось" not in err


def test_no_time_left_is_guessed_from_the_first_twentieth(monkeypatch, capsys):
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    with progress("Чтение рабочих книг", 401, what="книга") as advance:
        advance(2)
        advance(19)
    lines = capsys.readouterr().err.splitlines()
    assert "осталось" not in lines[0] and "книга 21 из 401 (5 %), осталось около" in lines[1]


def test_time_left_reads_as_seconds_then_minutes():
    assert [remaining(s) for s in (0.2, 42, 190, 600)] == ["1 с", "42 с", "3 мин 10 с", "10 мин"]


def test_the_cross_sheet_check_counts_groups_and_only_those_checked_again(tmp_path, monkeypatch, capsys):
    import shutil
    from pathlib import Path

    from pipeline.cache import BuildCache
    from pipeline.intake.validate import validate_input

    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    shutil.copytree(Path(__file__).resolve().parents[1] / "input", tmp_path / "input")
    cache = BuildCache(tmp_path / "output")
    first = validate_input(tmp_path / "input", cache)
    cache.commit()
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("Проверка связей между листами: группа")]
    groups = len(first.dataset.groups)
    assert lines[-1].startswith(f"Проверка связей между листами: группа {groups} из {groups} (100 %)")
    # The same input again: every group's check comes from the cache, nothing is counted.
    validate_input(tmp_path / "input", BuildCache(tmp_path / "output"))
    assert "Проверка связей между листами" not in capsys.readouterr().err


def test_keeping_the_checked_workbooks_counts_every_write_and_none_of_a_workbook_not_read(tmp_path, monkeypatch,
                                                                                           capsys):
    import shutil
    from pathlib import Path

    from pipeline.cache import BuildCache
    from pipeline.intake.validate import validate_input

    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    shutil.copytree(Path(__file__).resolve().parents[1] / "input", tmp_path / "input")
    books = len(list((tmp_path / "input").rglob("*.xlsx")))
    cache = BuildCache(tmp_path / "output")
    validate_input(tmp_path / "input", cache)
    capsys.readouterr()
    cache.commit()
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.startswith("Запоминание проверенных книг для следующего запуска: запись")]
    # Two entries per workbook read (its check and its frames), then the cross-sheet checks and the pruning.
    total = int(lines[-1].split(" из ")[1].split()[0])
    assert total >= 2 * books and lines[-1].endswith(f"запись {total} из {total} (100 %)")
    assert list((tmp_path / "output" / "cache").rglob("*.json"))
    # Nothing read again: no workbook is written again (only the pruning of entries no longer used is left).
    again = BuildCache(tmp_path / "output")
    validate_input(tmp_path / "input", again)
    capsys.readouterr()
    again.commit()
    assert capsys.readouterr().err.splitlines()[-1].endswith("запись 1 из 1 (100 %)")
