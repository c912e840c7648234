"""Symbolic links are refused in output/ and input/: through a link a run would write outside the output
folder (output/build → another folder) or read a workbook from anywhere (input/groups/x.xlsx → …).

The output folder itself may be a link (a shared drive mounted elsewhere); what lies in it may not.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.errors import UchetError


def output_link_message(path: str | Path) -> str:
    target = os.readlink(path) if os.path.islink(path) else "?"
    return (f"«{path}» — символическая ссылка (на «{target}»). Через ссылку программа записала бы файлы за "
            "пределами папки результатов, поэтому запуск остановлен и ничего не записано. Удалите ссылку "
            "(то, на что она указывает, не пострадает) и запустите снова; если нужна другая папка "
            "результатов, укажите ее в --output.")


def input_link_message(path: str | Path) -> str:
    target = os.readlink(path) if os.path.islink(path) else "?"
    return (f"«{path}» — символическая ссылка (на «{target}»), а не файл. Программа читает только обычные "
            "файлы и папки в папке с данными: скопируйте туда саму книгу (или папку) вместо ссылки и "
            "запустите снова.")


def refuse_top_level(output_dir: Path) -> None:
    """Refuse a link directly in the output folder (output/build, output/reports, output/errors.xlsx, …)."""
    try:
        entries = list(os.scandir(output_dir))
    except OSError:
        return
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.is_symlink():
            raise UchetError(output_link_message(entry.path))


def refuse_input_links(input_dir: Path) -> None:
    """Refuse any link in the input folder, at any depth (it is small: a few dozen workbooks)."""
    for folder, dirs, files in os.walk(input_dir):
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                raise UchetError(input_link_message(path))
