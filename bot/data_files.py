"""Every data file, read before the bot starts: a broken one stops start-up with one line.

The domain reads most files when first needed (the MRP table on the first fee, the survey after the
first visit), so without this a maintainer's typo would surface in the middle of a citizen's dialogue,
or as a traceback at start. Each file goes through the reader the bot uses, whose errors are one line
naming the file and the place in it; `python -m bot run` shows that line and exits 2.
"""

from __future__ import annotations

from pathlib import Path

from bot import DATA_DIR
from bot.complaints.terms import TermsError, read_terms
from bot.offices.directory import load_directory
from bot.offices.schema import DirectoryError
from bot.offices.territory import BoundaryError, load_boundary
from bot.rules.fee import MrpTableError, load_mrp_table
from bot.rules.holiday_names import HolidayNamesError, load_holiday_names
from bot.rules.ruleset import RulesetError, list_rulesets
from bot.visits.indicators import IndicatorsError, load_indicators_file
from bot.visits.survey import SurveyError, load_survey_file

# What the readers raise for a file they refuse; each message is one line.
DATA_FILE_ERRORS: tuple[type[ValueError], ...] = (
    RulesetError, DirectoryError, BoundaryError, TermsError, MrpTableError, HolidayNamesError, SurveyError,
    IndicatorsError,
)


def check_data_files(data_dir: Path | None = None) -> None:
    """Read every file of the data folder (data/ by default); raises one of DATA_FILE_ERRORS."""
    data = data_dir or DATA_DIR
    list_rulesets(data / "ruleset")
    load_directory(data / "offices.json")
    load_boundary(data / "kz_boundary.json")
    read_terms(data / "complaints.toml")
    load_mrp_table(data / "mrp.toml")
    load_holiday_names(data / "holidays_ru.toml")
    for path in sorted((data / "surveys").glob("*.toml")):
        load_survey_file(path)
    load_indicators_file(data / "indicators.toml", survey_dir=data / "surveys")
