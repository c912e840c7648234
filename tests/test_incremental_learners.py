"""An edit of learners.xlsx (personal data) rebuilds only what shows that learner: every document that
prints the changed name or date shows the new one, the documents of other groups are not touched, and
the result equals a build from scratch byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline import cache
from pipeline.build import TEMPLATES_DIR, run
from pipeline.cache import render_cache
from pipeline.carriers import CARRIERS
from pipeline.core.dataset import Dataset, Learner
from pipeline.intake.validate import validate_input
from pipeline.render.stage import docx_text
from tests.sample_run import built_sample

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 15)
NEW_SURNAME = {"Муж": "Жемчужников", "Жен": "Жемчужникова"}
NEW_STEM = "Жемчужник"  # in every case of both


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built once: (input, output)."""
    return built_sample(tmp_path_factory.mktemp("learners-edit"), TODAY)


def copy_of(built, tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the built input and output (mtimes kept), for an edit to be rebuilt."""
    for source in built:
        shutil.copytree(source, tmp_path / source.name)
    return tmp_path / "input", tmp_path / "output"


def files(root: Path) -> dict[str, tuple[str, int]]:
    """{relative path: (sha256, mtime_ns)} of every file under root."""
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def texts(build: Path) -> dict[str, str]:
    return {p.relative_to(build).as_posix(): docx_text(p.read_bytes()) for p in sorted(build.rglob("*.docx"))}


def stem(surname: str) -> str:
    """The part of a surname every case shares («Смирнова», «Смирновой»; «Иванов», «Иванову»)."""
    return surname[:-1] if surname.endswith("а") else surname


def a_learner(dataset: Dataset) -> Learner:
    """A learner with issued documents (so in a year's book) whose surname's stem is nobody else's name part."""
    issued = {d.learner_id for g in dataset.groups.values() for d in g.issued}
    people = [lr.person for lr in dataset.learners.values()] + [s.person for s in dataset.staff.values()]
    for lid, learner in sorted(dataset.learners.items()):
        mark = stem(learner.person.surname)
        if lid in issued and len(mark) >= 5 and sum(mark in p.full_name for p in people) == 1:
            return learner
    raise AssertionError("the sample has no learner to try")


def edit_row(book_path: Path, sheet: str, key: str, change: Callable[[dict[str, int], int, object], None]) -> None:
    """Open a workbook as staff would, find the row whose first cell is `key` and let `change` edit it."""
    book = openpyxl.load_workbook(book_path)
    ws = book[sheet]
    header = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row, 1).value) == key:
            change(header, row, ws)
    book.save(book_path)


def groups_of(dataset: Dataset, learner_id: str) -> set[str]:
    return {g.number for g in dataset.groups.values() if g.member(learner_id)}


def in_groups(path: str, groups: set[str]) -> bool:
    """Whether a build path lies in one of these groups' folders (build/<year>/<group>/...)."""
    return len(path.split("/")) == 3 and path.split("/")[1] in groups


def test_a_new_surname_reaches_every_document_that_shows_it_and_no_other_is_rewritten(built, tmp_path):
    edited, out = copy_of(built, tmp_path)
    dataset = validate_input(edited).dataset
    learner = a_learner(dataset)
    old, new = stem(learner.person.surname), NEW_SURNAME[learner.person.sex]
    full_old = learner.person.full_name
    full_new = full_old.replace(learner.person.surname, new, 1)
    edit_row(edited / "learners.xlsx", "Слушатели", learner.id,
             lambda h, r, ws: ws.cell(r, h["Фамилия"], new))
    # As staff must: the name written for checking on the group's sheets follows the registry.
    groups = groups_of(dataset, learner.id)
    for number in groups:
        workbook = edited / dataset.groups[number].file
        for sheet, column in (("Состав", "ФИО (для проверки)"), ("Посещаемость", "ФИО")):
            edit_row(workbook, sheet, learner.id,
                     lambda h, r, ws, c=column: ws.cell(r, h[c], full_new) if ws.cell(r, h[c]).value else None)

    before, before_files = texts(out / "build"), files(out / "build")
    showing = {path for path, text in before.items() if old in text}
    assert any("Журнал регистрации" in p for p in showing), "the learner is in a year's book"
    assert any(in_groups(p, groups) for p in showing)
    assert run(edited, out, today=TODAY) == 0

    after, after_files = texts(out / "build"), files(out / "build")
    assert not [path for path, text in after.items() if old in text]  # the old name is shown nowhere
    changed = {p for p in after_files if p in before_files and before_files[p] != after_files[p]}
    removed, added = before_files.keys() - after_files.keys(), after_files.keys() - before_files.keys()
    for path in changed | added:
        assert NEW_STEM in after[path], path
    # Every document showing the name was written again, or renamed when its file name carries the name
    # (a diploma), and no other.
    assert changed | removed == showing
    assert {p.replace(learner.person.surname, new) for p in removed} == added
    # The documents of groups the learner is not in were not even written again (bytes and mtimes).
    for path, stat in before_files.items():
        if path.split("/")[1:2] and not in_groups(path, groups) and path not in showing:
            assert after_files[path] == stat, path

    scratch = tmp_path / "scratch"
    assert run(edited, scratch, today=TODAY) == 0
    assert {p: s for p, (s, _) in files(scratch / "build").items()} == {p: s for p, (s, _) in after_files.items()}


def test_personal_data_alone_rebuilds_that_learners_documents_and_equals_a_full_build(built, tmp_path):
    edited, out = copy_of(built, tmp_path)
    dataset = validate_input(edited).dataset
    learner = a_learner(dataset)
    # Only learners.xlsx changes: the birth date (printed on a справка) and the dative form of the name.
    dative = f"{NEW_STEM}у Ивану Ивановичу" if learner.person.patronymic else f"{NEW_STEM}у Ивану"
    born = learner.birth_date.replace(day=1 if learner.birth_date.day != 1 else 2)

    def change(h, r, ws):
        ws.cell(r, h["Дата рождения"], born)
        ws.cell(r, h["ФИО в дательном падеже"], dative)
        ws.cell(r, h["Телефон"], "+7 900 000-00-99")

    edit_row(edited / "learners.xlsx", "Слушатели", learner.id, change)
    now = validate_input(edited).dataset
    previous = render_cache.read_manifest(cache.cache_dir(out))
    found = render_cache.changes(now, previous)
    groups = groups_of(now, learner.id)
    assert not found.whole and found.learners == {learner.id} and found.groups == groups and not found.edited
    for carrier in CARRIERS:
        sha = hashlib.sha256((TEMPLATES_DIR / carrier.template).read_bytes()).hexdigest()
        step = render_cache.plan(carrier, now, sha, previous, out / "build", found)
        if carrier.scope == "learner":
            assert set(step.view.learners) == {learner.id}, carrier.key
        elif carrier.scope in ("group", "module"):
            assert set(step.view.groups) == groups, carrier.key

    before_files = files(out / "build")
    assert run(edited, out, today=TODAY) == 0
    after_files = files(out / "build")
    changed = {p for p in after_files if before_files.get(p) != after_files[p]}
    assert changed, "the documents naming the learner in the dative changed"
    assert all(in_groups(p, groups) for p in changed), changed
    assert any(NEW_STEM in docx_text((out / "build" / p).read_bytes()) for p in changed)
    scratch = tmp_path / "scratch"
    assert run(edited, scratch, today=TODAY) == 0
    # (The archive differs by design: the edited run files new versions of the filed documents.)
    assert {p: s for p, (s, _) in files(scratch / "build").items()} == {p: s for p, (s, _) in files(out / "build").items()}


def test_a_phone_edit_checks_again_only_the_groups_of_that_learner(built, tmp_path, monkeypatch):
    from pipeline.intake import crosscheck

    edited, out = copy_of(built, tmp_path)
    dataset = validate_input(edited).dataset
    learner = a_learner(dataset)
    edit_row(edited / "learners.xlsx", "Слушатели", learner.id,
             lambda h, r, ws: ws.cell(r, h["Телефон"], "+7 900 000-00-98"))
    checked: list[str] = []
    original = crosscheck.check_group

    def counting(ds, group, *args, **kwargs):
        checked.append(group.number)
        return original(ds, group, *args, **kwargs)

    monkeypatch.setattr(crosscheck, "check_group", counting)
    found = validate_input(edited, cache.BuildCache(out))
    assert found.dataset is not None
    assert set(checked) == groups_of(dataset, learner.id)
    assert found.problems == validate_input(edited).problems


def test_learner_digests_are_read_back_while_learners_xlsx_is_unchanged(built, tmp_path, monkeypatch):
    from pipeline.cache import learner_digests as digests_module
    from pipeline.intake import validate

    edited, out = copy_of(built, tmp_path)
    worked: list[int] = []

    def counting(learners):
        worked.append(len(learners))
        return digests_module.learner_digests(learners)

    monkeypatch.setattr(validate, "learner_digests", counting)
    again = validate_input(edited, cache.BuildCache(out)).dataset
    assert worked == []  # the bytes of learners.xlsx are those of the last build
    assert again.learner_digests == digests_module.learner_digests(again.learners)

    learner = a_learner(again)
    edit_row(edited / "learners.xlsx", "Слушатели", learner.id,
             lambda h, r, ws: ws.cell(r, h["Телефон"], "+7 900 000-00-97"))
    build_cache = cache.BuildCache(out)
    changed = validate_input(edited, build_cache).dataset
    assert worked == [len(changed.learners)]
    assert changed.learner_digests == digests_module.learner_digests(changed.learners)
    assert changed.learner_digests[learner.id] != again.learner_digests[learner.id]
    build_cache.commit()  # kept once the input passed: the next run reads them back
    worked.clear()
    assert validate_input(edited, cache.BuildCache(out)).dataset.learner_digests == changed.learner_digests
    assert worked == []


def test_a_new_phone_rebuilds_the_learners_card_alone_and_equals_a_full_build(built, tmp_path):
    """A phone and an e-mail are printed on the learner's card only: the year's books and the groups'
    documents are neither rebuilt nor rewritten, and the result equals a build from scratch."""
    edited, out = copy_of(built, tmp_path)
    dataset = validate_input(edited).dataset
    learner = a_learner(dataset)

    def change(h, r, ws):
        ws.cell(r, h["Телефон"], "+7 900 000-00-96")
        ws.cell(r, h["Эл. почта"], "new.address@example.ru")

    edit_row(edited / "learners.xlsx", "Слушатели", learner.id, change)
    now = validate_input(edited).dataset
    previous = render_cache.read_manifest(cache.cache_dir(out))
    found = render_cache.changes(now, previous)
    assert found.learners == {learner.id} and not found.facts
    register = next(c for c in CARRIERS if c.key == "issue_register")
    sha = hashlib.sha256((TEMPLATES_DIR / register.template).read_bytes()).hexdigest()
    assert render_cache.plan(register, now, sha, previous, out / "build", found).view is None  # the books are kept

    before_files = files(out / "build")
    listings = files(cache.cache_dir(out))
    assert run(edited, out, today=TODAY) == 0
    after_files = files(out / "build")
    changed = {p for p in after_files if before_files.get(p) != after_files[p]}
    cards = [e for e in previous.entries.values() if e.carrier == "learner_card" and e.spec.learner_id == learner.id]
    assert changed and changed <= {e.path for e in cards}, changed
    # Of the render manifest's listings, only the part listing the learner's cards was written again.
    now = files(cache.cache_dir(out))
    rewritten = {n for n in listings
                 if n.startswith("render-") and n != render_cache.MANIFEST and now.get(n) != listings[n]}
    assert rewritten == {render_cache.shard_name("learner_card", render_cache.part_of(e.spec)) for e in cards}
    assert all("+7 900 000-00-96" in docx_text((out / "build" / p).read_bytes()) for p in changed)
    scratch = tmp_path / "scratch"
    assert run(edited, scratch, today=TODAY) == 0
    assert {p: s for p, (s, _) in files(scratch / "build").items()} == {p: s for p, (s, _) in after_files.items()}
