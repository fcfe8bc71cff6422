"""`python -m bot fee [--date YYYY-MM-DD]`: the §8 state fee on a payment day (default: today, Almaty).

`source` stays one string (the Russian title of the law), as the contract has it; `source_text` and
`notes` carry the {kk, ru} texts the bot shows.
"""

from __future__ import annotations

from datetime import date

from bot import clock
from bot.cli import UsageError, emit
from bot.fee import FeeOutOfScope, fee_on


def register(sub) -> None:
    parser = sub.add_parser("fee", help="the state fee (1 MRP) on a payment day")
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="payment day (default: today)")
    parser.set_defaults(func=_run)


def parse_day(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date: expected a real date YYYY-MM-DD, got {text!r}") from None


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
