"""`python -m pipeline`: what make runs."""

import sys

# pandera imports hypothesis, when it is installed, for data-synthesis strategies uchet never uses: a tenth
# of a second of every run that validates a workbook. hypothesis is a test dependency only (`pip install .`
# leaves it out); refusing the import here makes make's runs behave as such an installation does.
sys.modules.setdefault("hypothesis", None)

from pipeline.cli import main  # noqa: E402

main()
