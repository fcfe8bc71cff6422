"""The data files reach handlers as the Dispatcher's workflow data (`ruleset`, `directory`, `terms`, set in
bot.app.build_dispatcher), so a Dispatcher built with other data answers from that data, not from a
module cache."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dialogue_support import FROZEN, frozen_clock, ntr  # noqa: F401  (fixture)

from bot.complaints.terms import load_terms
from bot.formatting import money
from bot.offices.directory import Directory, load_directory
from bot.rules.fee import fee_on
from bot.rules.model import Text
from bot.rules.ruleset import load_ruleset
from bot.telegram.locale import make_i18n
from handlers.callbacks import MenuCallback

I18N = make_i18n()

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_build_dispatcher_sets_the_data(harness):
    assert harness.dp["ruleset"] is load_ruleset()
    assert harness.dp["directory"] is load_directory()
    assert harness.dp["terms"] is load_terms()


def two_regions() -> Directory:
    full = load_directory()
    regions = full.regions()[:2]
    departments = {r.department for r in regions}
    offices = [o for o in full.all() if o.id in departments or o.department in departments]
    return Directory(offices, regions, full.residence_note, [], full.abroad_note)


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_the_office_finder_reads_the_dispatchers_directory(harness, lang):
    harness.dp["directory"] = two_regions()
    user = harness.user(lang)
    await user.send("/menu")
    reply = await user.press_data(MenuCallback(item="offices").pack())
    singular = "Choose the region: {count} department of internal affairs, each with its district offices."
    plural = "Choose the region: {count} departments of internal affairs, each with its district offices."
    assert ntr(lang, singular, plural, 2, count=2) in reply.text


@pytest.mark.parametrize("lang", ["kk", "ru"])
async def test_about_and_fee_read_the_dispatchers_ruleset_and_terms(harness, lang):
    ruleset = load_ruleset()
    harness.dp["ruleset"] = replace(ruleset, title=Text(kk="Басқа ереже", ru="Другой регламент"),
                                    fee=replace(ruleset.fee, percent_of_mrp=50))
    harness.dp["terms"] = replace(load_terms(), retention_days=7)
    user = harness.user(lang)
    reply = await user.send("/about")
    assert {"kk": "Басқа ереже", "ru": "Другой регламент"}[lang] in reply.last.text
    assert "7" in reply.last.text
    reply = await user.send("/fee")
    half = fee_on(FROZEN.date(), harness.dp["ruleset"])
    assert half.fee_kzt < fee_on(FROZEN.date()).fee_kzt
    with I18N.context(), I18N.use_locale(lang):
        assert money(half.fee_kzt) in reply.last.text
