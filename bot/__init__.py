"""Pre-check assistant for the service standard "documents for leaving Kazakhstan for permanent residence".

The package holds the application: settings, the pure domain (rules, fee, hours, offices, talons),
the storage layer and the entry points. Handlers live in the top-level `handlers` package.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
LOCALES_DIR = PROJECT_ROOT / "locales"
