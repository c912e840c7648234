"""`make mutate`: mutation testing of the modules that guard data, one group at a time (issue 19).

mutmut reads its settings from the pyproject.toml of the folder it runs in and, for each mutant, runs
the selected tests that reach the mutated function. One selection for every module would make each
surviving ФРДО mutant run the validation tests too, so each group (or a module named alone) runs in its own copy
of the project under output/mutate/<name>/ with its own fast tests, one at a time. The per-module scores are
printed at the end and written to output/mutate/scores.md; tests/MUTATION.md explains the survivors.

    python tests/mutate.py [GROUP|MODULE ...]   (default: every group; --list shows them)
    make mutate GROUPS=rules   make mutate GROUPS=pipeline/archive/signing.py
    MUTATE_JOBS=1 make mutate GROUPS=...   (mutmut's --max-children; default 2: a machine shared with others)
    python tests/mutate.py pipeline/archive/filing.py --only '*x__plan__*' '*x__frozen_problem__*'
        (only the mutants whose names match, fnmatch patterns as `mutmut run` takes them)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "output" / "mutate"
COPIED = ("pipeline", "schemas", "tests", "templates_docx", "input", "pyproject.toml")

ARCHIVE_TESTS = ("tests/test_archive.py", "tests/test_archive_signing.py")
RULE_TESTS = ("tests/test_crosscheck.py",)
FRDO_TESTS = ("tests/test_frdo.py",)
# The tests of test_expert_commission.py that try `dispose` without a протокол approving the act, or with one.
EK_GUARD = ("an_act_cannot_be_executed_before_its_protocol", "a_protocol_of_another_act_does_not_approve_this_one",
            "a_protocol_dated_before_the_act_does_not_approve_it", "a_protocol_dated_after_today_does_not_approve_it",
            "a_protocol_of_a_commission_appointed_after_the_meeting_does_not_approve_it",
            "a_protocol_of_a_commission_without_a_secretary_does_not_approve_it",
            "a_later_valid_protocol_approves_even_when_an_earlier_row_is_wrong",
            "preview_says_the_act_is_not_approved_yet_and_confirm_refuses",
            "the_preview_tells_the_very_refusal_confirm_would_stop_with",
            "dispose_from_the_workbook_after_the_meeting_is_recorded")
# The tests of test_expert_commission.py that draw the act on personal data (dispose, or pd_act_docx directly).
PD_ACT = tuple(f"tests/test_expert_commission.py::test_{name}" for name in (
    "dispose_writes_the_act_on_destroyed_personal_data_beside_the_archival_act",
    "the_act_on_personal_data_names_the_learners_of_every_folder_the_act_destroyed_in",
    "the_act_on_personal_data_counts_only_what_this_act_destroyed_with_the_sheets_of_its_paper_copy"))
# module mutated -> the fast tests run against it
MODULES: dict[str, tuple[str, ...]] = {
    # Scans, foreign files and the views are filed and checked by the keeps and views tests; a folder with a
    # tombstone is filed again by the retention tests; which bags, indexes and labels a one-group edit may
    # touch (and nothing else) by the write tests.
    "pipeline/archive/filing.py": (*ARCHIVE_TESTS, "tests/test_archive_keeps.py", "tests/test_archive_views.py",
                                   "tests/test_retention.py", "tests/test_archive_write.py"),
    "pipeline/archive/signing.py": ARCHIVE_TESTS,
    # The bag writer and the check before writing are reached through filing (the archive, keeps and write tests:
    # a bag rebuilt, a damaged or foreign file, a batch staged and swapped in), recover() through the interrupted
    # swaps of test_archive.py and the state machine of test_archive_stateful.py, the bags read back by verify and
    # repair (test_verify.py). test_faults.py and test_crash.py also reach them but start real processes (5 s a test).
    "pipeline/archive/bag.py": ("tests/test_archive_write.py", "tests/test_archive_keeps.py", "tests/test_archive.py",
                                "tests/test_archive_stateful.py", "tests/test_verify.py"),
    "pipeline/archive/integrity.py": ("tests/test_archive_keeps.py", "tests/test_archive_write.py",
                                      "tests/test_archive.py", "tests/test_verify.py"),
    # The bag lists are read and written by filing, repair (a list re-saved by Excel) and views, and a
    # tombstone is made only by disposal: the archive tests alone left those paths unexercised.
    "pipeline/archive/records.py": (*ARCHIVE_TESTS, "tests/test_archive_keeps.py", "tests/test_archive_views.py",
                                    "tests/test_retention.py"),
    # The act on personal data is drawn only by these four of test_expert_commission.py (the whole file takes
    # 100 s, most of it LibreOffice rendering the act for the page checks, which no disposal mutant reaches); the
    # refusal of an act no протокол approves only by the commission's own tests (EK_GUARD, a second each).
    "pipeline/archive/disposal.py": (
        "tests/test_retention.py", "tests/test_disposal_guard.py",
        *(f"tests/test_expert_commission.py::test_{name}" for name in EK_GUARD),
        "tests/test_expert_commission.py::test_dispose_writes_the_act_on_destroyed_personal_data_beside_the_archival_act",
        "tests/test_expert_commission.py::test_verify_misses_the_act_on_personal_data_never_written",
        "tests/test_expert_commission.py::test_the_act_on_personal_data_names_the_learners_of_every_folder_the_act_destroyed_in",
        "tests/test_expert_commission.py::"
        "test_the_act_on_personal_data_counts_only_what_this_act_destroyed_with_the_sheets_of_its_paper_copy"),
    "pipeline/archive/retention.py": ("tests/test_retention.py",),
    # The two acts as their signers read them: test_act_checklist.py draws both line by line (its page checks need
    # LibreOffice and read no text); the act on personal data is also drawn by `dispose` (PD_ACT).
    "pipeline/archive/disposal_act.py": ("tests/test_act_checklist.py",),
    "pipeline/archive/pd_act.py": ("tests/test_act_checklist.py", *PD_ACT),
    # What was sent to ФИС ФРДО and what the next upload carries: the export tests of test_frdo.py.
    "pipeline/frdo/history.py": FRDO_TESTS,
    # verify: a bag's own checks (test_verify.py), the damage staff do and --repair (test_archive_keeps.py),
    # the acts and the disposal register (test_disposal_guard.py, test_retention.py); repair: the damage and
    # what it restores (test_archive_keeps.py) and its own readers (test_repair.py).
    "pipeline/archive/verify.py": ("tests/test_verify.py", "tests/test_archive_keeps.py", "tests/test_disposal_guard.py",
                                   "tests/test_retention.py"),
    "pipeline/archive/disposal_check.py": ("tests/test_disposal_guard.py", "tests/test_retention.py",
                                           "tests/test_verify.py"),
    "pipeline/archive/repair.py": ("tests/test_repair.py", "tests/test_archive_keeps.py", "tests/test_verify.py"),
    **{f"pipeline/intake/rules/{name}.py": RULE_TESTS
       for name in ("attendance", "attestation", "calendar", "hours", "people", "references", "results")},
    # The expert commission's sheets (who may sign an act of disposal): their problems are tested cell by cell in
    # test_expert_commission.py, not among the cases of test_crosscheck.py.
    "pipeline/intake/rules/expert.py": tuple(f"tests/test_expert_commission.py::test_{name}" for name in (
        "sheet_problems_name_file_sheet_row_and_column", "the_meeting_is_held_by_the_composition_in_force_that_day",
        "sample_has_the_commission_and_its_first_meeting", "each_commission_problem_names_exactly_the_value_staff_must_look_at",
        "an_older_workbook_with_the_commission_coded_ek_on_komissii_still_signs_acts")),
    "schemas/fields.py": ("tests/test_identifiers.py", "tests/test_validate_sheets.py"),
    **{f"pipeline/frdo/{name}.py": FRDO_TESTS for name in ("template", "preflight", "rows", "workbook", "export")},
}
GROUPS: dict[str, tuple[str, ...]] = {
    "archive": ("pipeline/archive/filing.py", "pipeline/archive/signing.py", "pipeline/archive/records.py"),
    "bags": ("pipeline/archive/bag.py", "pipeline/archive/integrity.py"),
    "disposal": ("pipeline/archive/disposal.py", "pipeline/archive/retention.py"),
    "acts": ("pipeline/archive/disposal_act.py", "pipeline/archive/pd_act.py"),
    "verify": ("pipeline/archive/verify.py", "pipeline/archive/disposal_check.py", "pipeline/archive/repair.py"),
    "rules": tuple(m for m in MODULES if m.startswith("pipeline/intake/rules/")),
    "identifiers": ("schemas/fields.py",),
    "frdo": tuple(m for m in MODULES if m.startswith("pipeline/frdo/")),
}
# A rule module's mutants need only the cases of its own problem codes: every case of test_crosscheck.py
# validates a whole input (about 1.5 s each), so a survivor would otherwise cost the whole file. Each
# selection keeps the valid inputs (a rule that fires where it must not; «overlap» brings the valid input with a
# second group still in training, where no final date, protocol or documents are due yet) and the missing-sheet cases.
# Checked against the whole file: every case that reports one of a module's codes (from that module) is selected
# for it (tests/MUTATION.md, section mutrules).
ALWAYS = "valid_input or valid_award or missing_sheet or does_not_cascade or overlap"
RULE_CASES: dict[str, str] = {
    "attendance": "attendance or mark_after or expel or expul or lesson_column or lesson_row",
    "hours": "hours or modules or module_unknown or lesson_row",
    "people": "name or learner_too or overlap or status_ or dative or carry_value or without_graduation",
    "calendar": "date or period or order or contract or graduation or outside or carry_value",
    "references": "ref_ or award or unique_across",
    "attestation": ("expel or final_missing or commission or protocol or issued or certificate or interim_duplicate "
                    "or reg_no or blank_duplicate or result_after or registration_numbers or final_date_after"),
    "results": "test_score or test_pass_mark or test_max or nomenclature or pass_fail",
}
RULE_SELECTION = {f"pipeline/intake/rules/{name}.py": ("-k", f"{cases} or {ALWAYS}") for name, cases in RULE_CASES.items()}
MODULES["pipeline/intake/rules/results.py"] = (*RULE_TESTS, "tests/test_malformed.py")  # its cases are in the corpus
KILLED = {"killed", "timeout"}
STATUS = re.compile(r"^\s*(?P<name>[\w.]+?)\.x[_ǁ].*: (?P<status>[\w ]+)$")


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def prepare(name: str) -> Path:
    """Copy the project into output/mutate/<name>/ with [tool.mutmut] narrowed to a group or one module.

    A group runs in one copy (mutmut measures which test reaches which function once per copy, which
    takes minutes for the rule tests); a module named alone gets its own copy.
    """
    modules = GROUPS.get(name, (name,))
    tests = tuple(dict.fromkeys(t for m in modules for t in MODULES[m]))
    if all(m in RULE_SELECTION for m in modules):  # one -k for the group: the modules' selections joined
        tests += ("-k", " or ".join(RULE_SELECTION[m][1] for m in modules))
    folder = OUT / name.removesuffix(".py").replace("/", ".")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    config = (folder / "pyproject.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^only_mutate = \[.*?\]", f"only_mutate = {_toml_list(modules)}", config)
    config = re.sub(r"(?ms)^pytest_add_cli_args_test_selection = \[.*?\]",
                    f"pytest_add_cli_args_test_selection = {_toml_list(tests)}", config)
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return folder


def scores(folder: Path) -> dict[str, Counter]:
    """Give {module: Counter(status)} from `mutmut results --all true` in folder."""
    listing = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=folder,
                             capture_output=True, text=True, check=True).stdout
    found: dict[str, Counter] = defaultdict(Counter)
    for line in listing.splitlines():
        m = STATUS.match(line)
        if m:
            found[m["name"]][m["status"].strip()] += 1
    return found


def table(found: dict[str, Counter]) -> str:
    """Score = killed (timeouts included) of the mutants checked; «no tests» counts as not killed."""
    lines = ["| module | mutants | not checked | killed | survived | other | score |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for module, count in sorted(found.items()):
        total, unchecked = sum(count.values()), count["not checked"] + count["skipped"]
        killed, survived = sum(count[s] for s in KILLED), count["survived"]
        checked = total - unchecked
        score = f"{100 * killed / checked:.0f} %" if checked else "—"
        lines.append(f"| {module} | {total} | {unchecked} | {killed} | {survived} | "
                     f"{checked - killed - survived} | {score} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP|MODULE",
                        help=f"groups ({', '.join(GROUPS)}) or module paths (--list shows them)")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS") or 2),
                        help="mutants tested at once (mutmut --max-children; env MUTATE_JOBS; default 2)")
    parser.add_argument("--only", nargs="+", default=[], metavar="PATTERN",
                        help="run only the mutants whose names match (fnmatch, e.g. '*x__plan__*')")
    args = parser.parse_args()
    unknown = set(args.groups) - set(GROUPS) - set(MODULES)
    if unknown:
        parser.error(f"unknown group(s) or module(s): {', '.join(sorted(unknown))}")
    if args.list:
        for name, modules in GROUPS.items():
            print(f"{name}:")
            for module in modules:
                print(f"    {module}  ←  {' '.join(MODULES[module])}")
        return 0
    found: dict[str, Counter] = {}
    for name in dict.fromkeys(args.groups or list(GROUPS)):
        folder = prepare(name)
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.jobs), *args.only], cwd=folder, check=False)
        found |= scores(folder)
    report = table(found)
    with (OUT / "scores.md").open("a", encoding="utf-8") as out:  # one run per module: keep earlier runs
        out.write(report + "\n\n")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
