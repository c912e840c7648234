"""`make mutate`: mutation testing of the modules that guard data, one group at a time (issue 19).

mutmut reads its settings from the pyproject.toml of the folder it runs in and, for each mutant, runs
the selected tests that reach the mutated function. One selection for every module would make each
surviving ФРДО mutant run the validation tests too, so each group below runs in a copy of the project
under output/mutate/<group>/ with its own modules and its own fast tests. The per-module scores are
printed at the end and written to output/mutate/scores.md; tests/MUTATION.md explains the survivors.

    python tests/mutate.py [GROUP ...]      (default: every group; --list shows them)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "output" / "mutate"
COPIED = ("pipeline", "schemas", "tests", "templates_docx", "input", "pyproject.toml")

# group -> (modules mutated, tests run against them)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "archive": (("pipeline/archive/filing.py", "pipeline/archive/records.py"), ("tests/test_archive.py",)),
    "disposal": (("pipeline/archive/disposal.py", "pipeline/archive/retention.py"), ("tests/test_retention.py",)),
    "rules": (("pipeline/rules/attendance.py", "pipeline/rules/attestation.py", "pipeline/rules/calendar.py",
               "pipeline/rules/hours.py", "pipeline/rules/people.py", "pipeline/rules/references.py"),
              ("tests/test_crosscheck.py",)),
    "identifiers": (("schemas/fields.py",), ("tests/test_identifiers.py", "tests/test_validate_sheets.py")),
    "frdo": (("pipeline/frdo/template.py", "pipeline/frdo/preflight.py", "pipeline/frdo/rows.py"),
             ("tests/test_frdo.py",)),
}
KILLED = {"killed", "timeout"}
STATUS = re.compile(r"^\s*(?P<name>[\w.]+?)\.x[_ǁ].*: (?P<status>[\w ]+)$")


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def prepare(group: str) -> Path:
    """Copy the project into output/mutate/<group>/ with [tool.mutmut] narrowed to the group."""
    modules, tests = GROUPS[group]
    folder = OUT / group
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
    parser.add_argument("groups", nargs="*", help=f"some of: {', '.join(GROUPS)}")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    if args.list:
        for name, (modules, tests) in GROUPS.items():
            print(f"{name}: {' '.join(modules)}  ←  {' '.join(tests)}")
        return 0
    found: dict[str, Counter] = {}
    for group in args.groups or list(GROUPS):
        folder = prepare(group)
        print(f"== {group}", flush=True)
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", "2"], cwd=folder, check=False)
        found |= scores(folder)
    report = table(found)
    (OUT / "scores.md").write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
