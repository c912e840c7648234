"""`uchet verify` for acts/ and the disposal register: what `dispose` and `disposal` wrote, checked afterwards.

Every act file and the register must match their SHA-256 in acts/tagmanifest-sha256.txt; every act's
file list its own recorded hash; every register row must be a tombstone of the same act in its bag, and
every tombstone a register row (a document marked «уничтожен» by hand has none); every act that destroyed
documents naming learners has its «акт об уничтожении персональных данных» (acts/act-N-pd.docx).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive.bag import read_bag_info, sha256_file
from pipeline.archive.disposal import (
    ACTS,
    ACTS_MANIFEST,
    REGISTER,
    load_act_file,
    read_acts_manifest,
    register_rows,
)
from pipeline.archive.index import bags

PD_YEAR_CARRIERS = frozenset({"issue_register"})
"""Documents of a year folder that name learners (a group folder's documents all do)."""


@dataclass
class DisposalCheck:
    """What `uchet verify` finds in acts/ and the disposal register: (path, detail) pairs."""

    missing: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0


def check_disposal(archive_root: Path) -> DisposalCheck:
    """Check acts/ and the register against acts/tagmanifest-sha256.txt, and the register against the bags.

    Every act file and the register must match their recorded SHA-256; every act's file list its own
    hash; every register row a tombstone of the same act in its bag, and every tombstone a register row.
    """
    out = DisposalCheck()
    folder = archive_root / ACTS
    manifest = read_acts_manifest(archive_root)
    on_disk = {p.relative_to(archive_root).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()
    on_disk |= {f"{REGISTER}.{k}" for k in ("csv", "xlsx") if (archive_root / f"{REGISTER}.{k}").is_file()}
    if on_disk and not (folder / ACTS_MANIFEST).is_file():
        out.missing.append((f"{ACTS}/{ACTS_MANIFEST}", "нет списка контрольных сумм актов и реестра уничтожения"))
    for rel, digest in sorted(manifest.items()):
        if rel not in on_disk:
            out.missing.append((rel, f"указан в {ACTS}/{ACTS_MANIFEST}, но файла нет"))
            continue
        out.files += 1
        if sha256_file(archive_root / rel) != digest:
            out.changed.append((rel, "изменен после составления акта или записи в реестр (SHA-256 не совпадает)"))
        elif rel.endswith(".json"):
            try:
                act, listed = load_act_file(archive_root / rel)
            except (ValueError, KeyError, TypeError):
                out.changed.append((rel, "файл акта не читается"))
                continue
            if listed not in ("", act.list_sha256):
                out.changed.append((rel, "список файлов не совпадает с его контрольной суммой"))
    for rel in sorted(on_disk - set(manifest) - {f"{ACTS}/{ACTS_MANIFEST}"}):
        if Path(rel).name.startswith((".dispose-", ".disposal-")):
            out.extra.append((rel, "работа с актом была прервана: ее завершит следующая команда uchet"))
        else:
            out.extra.append((rel, f"нет в {ACTS}/{ACTS_MANIFEST}"))
    registered = {(r.get("act", ""), r.get("path", "")): r for r in register_rows(archive_root)}
    tombstones = {}
    personal: set[str] = set()  # acts («№ N от …») that destroyed documents naming learners
    for bag in bags(archive_root):
        folder_rel = bag.relative_to(archive_root).as_posix()
        group_bag = bool(read_bag_info(bag).get("Group-Number"))
        for r in rec.read_documents(bag):
            if not r.kept:
                tombstones[f"{folder_rel}/{r.file}"] = r.disposal_act
                if group_bag or r.carrier in PD_YEAR_CARRIERS:
                    personal.add(r.disposal_act)
    by_path = {path: act for act, path in registered}
    for (act, path), row in sorted(registered.items()):
        label = tombstones.get(path)
        # «№ N от ДД.ММ.ГГГГ», as the tombstone names it; a row without its date is held to the act's number
        expected = f"№ {act} от {dt.date.fromisoformat(row['act_date']).strftime('%d.%m.%Y')}" \
            if row.get("act_date") else f"№ {act}"
        if label is None:
            out.changed.append((f"{REGISTER}.csv", f"запись об уничтожении {path} по акту № {act}: в описи папки "
                                "документ не отмечен уничтоженным"))
        elif expected not in (label, label.partition(" от ")[0]):
            out.changed.append((f"{REGISTER}.csv", f"{path}: в описи папки уничтожен "
                                f"{f'по акту {label}' if label else 'без акта'}, в реестре — по акту {expected}"))
    for act, row in sorted({a: r for (a, _p), r in registered.items()}.items()):
        label = f"№ {act} от {dt.date.fromisoformat(row['act_date']).strftime('%d.%m.%Y')}" if row.get("act_date") else ""
        pd = f"{ACTS}/act-{act}-pd.docx"
        if label in personal and pd not in manifest:
            out.missing.append((pd, f"по акту № {act} уничтожены документы с персональными данными слушателей, а акта "
                                    "об уничтожении персональных данных нет"))
    for path, label in sorted(tombstones.items()):
        if path not in by_path:
            out.missing.append((f"{REGISTER}.csv", f"{path} отмечен уничтоженным ({label or 'без акта'}), но в "
                                "реестре уничтожения записи нет"))
    return out


__all__ = ["DisposalCheck", "check_disposal"]
