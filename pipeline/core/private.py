"""Files and folders the program creates hold personal data: readable by their owner only.

The command line sets the process umask once: 0o077 (files 0600, folders 0700) by default, or 0o027
(0640/0750: the owner's group may read) when the environment variable UCHET_SHARED_GROUP is «1», for an
output folder that colleagues of one group read on a shared drive (README «Персональные данные»).
Every file goes through the umask, the atomic writes of pipeline.core.fsutil and the archive's bags included.
"""

from __future__ import annotations

import os

PRIVATE, SHARED_GROUP = 0o077, 0o027
SHARED_ENV = "UCHET_SHARED_GROUP"


def umask() -> int:
    return SHARED_GROUP if os.environ.get(SHARED_ENV) == "1" else PRIVATE


def restrict() -> None:
    """Make everything this process creates from now on private (see the module doc)."""
    os.umask(umask())
