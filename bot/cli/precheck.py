"""`python -m bot precheck --answers FILE|-`: the pre-check of a set of answers, as JSON.

The contract other tools rely on: `outcome`, `applies_via`, `refusal_grounds`, `documents`, `fee_kzt`,
`decision_days`, `next_question`, `ruleset`; the further fields carry the texts and paragraphs behind
them. Bad input (unknown key, wrong type, impossible date, malformed JSON, missing file) exits 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bot import clock
from bot.cli import UsageError, emit
from bot.rules.eligibility import AnswerError, Assessment, assess
from bot.rules.fee import FeeOutOfScope, FeeQuote
from bot.rules.ruleset import Question, Ruleset, RulesetError, load_ruleset


def register(sub) -> None:
    parser = sub.add_parser("precheck", help="pre-check a set of answers (JSON object keyed by question id)")
    parser.add_argument(
        "--answers", required=True, metavar="FILE", help="JSON file with the answers; - for stdin"
    )
    parser.add_argument("--ruleset", default=None, help="ruleset id (default: the current default ruleset)")
    parser.set_defaults(func=_run)


def read_answers(source: str) -> Any:
    """The answers document from a file or stdin; any failure is one line for the caller."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"answers file not found: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read answers from {source}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"answers are not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. a 5000-digit number, or arrays nested 100000 deep
        raise UsageError(
            f"answers are not usable JSON: {str(exc).splitlines()[0] or type(exc).__name__}"
        ) from None


def _run(args) -> int:
    raw = read_answers(args.answers)
    try:
        ruleset = load_ruleset(args.ruleset)
        assessment = assess(raw, ruleset, today=clock.today())
    except AnswerError as exc:
        raise UsageError(f"bad answer {exc}") from None
    except (RulesetError, FeeOutOfScope) as exc:
        raise UsageError(str(exc)) from None
    emit(to_json(assessment, ruleset))
    return 0


def fee_json(quote: FeeQuote) -> dict:
    return {
        "date": quote.date.isoformat(),
        "mrp_kzt": quote.mrp_kzt,
        "fee_kzt": quote.fee_kzt,
        "percent_of_mrp": quote.percent_of_mrp,
        "source": quote.source.ru,
        "source_text": quote.source.as_dict(),
        "valid_from": quote.valid_from.isoformat(),
        "stale": quote.stale,
        "note": quote.note,
        "notes": [n.as_dict() for n in quote.notes],
        "paragraph": quote.paragraph,
    }


def question_json(q: Question) -> dict:
    return {
        "id": q.id,
        "kind": q.kind,
        "paragraph": q.paragraph,
        "text": q.text.as_dict(),
        "hint": q.hint.as_dict() if q.hint else None,
        "options": [{"value": o.value, "label": o.label.as_dict()} for o in q.options],
        **({"min": q.min, "max": q.max} if q.kind == "int" else {}),
    }


def to_json(a: Assessment, ruleset: Ruleset) -> dict:
    refused = a.outcome == "refused"
    return {
        "outcome": a.outcome,
        "applies_via": a.applies_via,
        "refusal_grounds": [g.id for g in a.refusal_grounds],
        "documents": [d.id for d in a.documents],
        "fee_kzt": a.fee.fee_kzt,
        "decision_days": a.decision_days,
        "next_question": a.next_question.id if a.next_question else None,
        "ruleset": ruleset.id,
        "paragraph": a.paragraph,
        "reason": a.reason.as_dict() if a.reason else None,
        "applicant": {
            "via": a.applicant.via,
            "paragraph": a.applicant.paragraph,
            "explanation": a.applicant.explanation.as_dict(),
        }
        if a.applicant
        else None,
        "grounds": [
            {
                "id": g.id,
                "paragraph": g.paragraph,
                "text": g.text.as_dict(),
                "lifted_when": g.lifted_when.as_dict(),
            }
            for g in a.refusal_grounds
        ],
        "refusal_notice": {
            "paragraph": ruleset.refusal_notice.paragraph,
            "text": ruleset.refusal_notice.text.as_dict(),
        }
        if refused
        else None,
        "document_details": [
            {
                "id": d.id,
                "paragraph": d.paragraph,
                "title": d.title.as_dict(),
                "applies_when": d.applies_when.as_dict(),
                "description": d.description.as_dict(),
            }
            for d in a.documents
        ],
        "fee": fee_json(a.fee),
        "decision_paragraph": ruleset.terms.decision_paragraph,
        "question": question_json(a.next_question) if a.next_question else None,
        "progress": {"answered": a.progress.answered, "total": a.progress.total},
        "ruleset_title": ruleset.title.as_dict(),
        "ruleset_legal_basis": ruleset.legal_basis.summary.as_dict(),
        "ruleset_valid_from": ruleset.valid_from.isoformat(),
        "ruleset_valid_to": ruleset.valid_to.isoformat() if ruleset.valid_to else None,
        "ruleset_in_force": a.ruleset_in_force,
        "disclaimer": ruleset.disclaimer.as_dict(),
    }
