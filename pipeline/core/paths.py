"""Where the program's own files live (cheap to import: the no-op build reads it before anything else)."""

from __future__ import annotations

from pathlib import Path

# The staff-editable templates, shipped beside the package (one per carrier).
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates_docx"
