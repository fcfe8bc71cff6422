"""The pre-check validates and walks its answers once per change within an update (the loaded ones,
then after the new answer), not once for each thing a step asks of them."""

import pytest
from dialogue_support import frozen_clock, tr  # noqa: F401

import bot.rules.eligibility as eligibility
import handlers.precheck.session as session

pytestmark = pytest.mark.usefixtures("frozen_clock")


async def test_a_press_validates_the_answers_once_per_change(harness, monkeypatch):
    calls = []
    real = eligibility.validate_answers

    def counting(raw, ruleset):
        calls.append(1)
        return real(raw, ruleset)

    monkeypatch.setattr(eligibility, "validate_answers", counting)
    monkeypatch.setattr(session, "validate_answers", counting)
    user = harness.user("ru")
    await user.send("/start")
    await user.press(tr("ru", "✅ Check if I can apply"))
    calls.clear()
    await user.press(tr("ru", "Yes"))
    assert len(calls) == 2  # the answers as loaded, and once more after the new one
