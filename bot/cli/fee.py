"""`python -m bot fee [--date YYYY-MM-DD|DD.MM.YYYY]`: the §8 state fee on a payment day (default: today).

The date is read by the bot's own parser (bot.formatting.parse_day), so what the bot accepts, the CLI does.

`source` stays one string (the Russian title of the law), as the contract has it; `source_text` and
`notes` carry the {kk, ru} texts the bot shows.
"""

from __future__ import annotations

from datetime import date

from bot import clock, formatting
from bot.cli import UsageError, emit
from bot.rules.fee import FeeOutOfScope, fee_on


def register(sub) -> None:
    parser = sub.add_parser("fee", help="the state fee (1 MRP) on a payment day")
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                        help="payment day, YYYY-MM-DD or DD.MM.YYYY (default: today, Almaty)")
    parser.set_defaults(func=_run)


def parse_day(text: str) -> date:
    try:
        return formatting.parse_day(text)
    except formatting.NoSuchDay:
        raise UsageError(f"--date: no such date: {text!r}") from None
    except ValueError:
        raise UsageError(f"--date: expected a date YYYY-MM-DD or DD.MM.YYYY, got {text!r}") from None


def _run(args) -> int:
    day = clock.today() if args.date is None else parse_day(args.date)
    try:
        quote = fee_on(day)
    except FeeOutOfScope as exc:
        raise UsageError(str(exc)) from None
    emit(
        {
            "date": quote.date.isoformat(),
            "mrp_kzt": quote.mrp_kzt,
            "fee_kzt": quote.fee_kzt,
            "source": quote.source.ru,
            "source_text": quote.source.as_dict(),
            "valid_from": quote.valid_from.isoformat(),
            "stale": quote.stale,
            "note": quote.note,
            "notes": [n.as_dict() for n in quote.notes],
            "percent_of_mrp": quote.percent_of_mrp,
            "paragraph": quote.paragraph,
        }
    )
    return 0
