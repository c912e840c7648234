"""The user's own cache folder for uchet: what is worth keeping between runs but must not be in output/."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs


def user_cache_folder() -> Path | None:
    """Give the user's own cache folder for uchet (~/.cache/uchet, or the platform's), created private; None
    when it cannot be made or is not private to this user.

    Not the temporary folder: a run points that into output/cache/tmp/ and removes it at the end
    (pipeline.core.runlock), so anything kept there lasted one run. Not output/cache/ either: what is
    kept here (Jinja's compiled code, the templates' sources) can run code, and output/ may be a shared
    folder; here only the user who runs uchet can write, as in Jinja's own default folder.
    """
    folder = Path(platformdirs.user_cache_dir("uchet", appauthor=False))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "nt":  # a per-user profile folder, guarded by its ACL
            return folder
        info = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700
    return folder if private else None
