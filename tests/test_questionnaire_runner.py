"""The questionnaire runner asks any question graph: a third questionnaire is a graph, a few hooks and
one `make_router(it)` in the dispatcher. A tiny test-only graph is driven here through the real
Dispatcher (the one bot.app builds) with the runner's Back, Start over, progress, typed text, stale
buttons and a restart; and the pre-check's buttons, old and new, keep working on the runner."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import pytest
from dialogue_support import frozen_clock, shown_question, tr  # noqa: F401

import bot.app
from bot.rules.conditions import ALWAYS, Compare, Condition
from bot.rules.graph import QuestionGraph
from handlers import questionnaire
from handlers.questionnaire import Card, Dialogue, QuestionnaireAnswer, QuestionnaireQuick
from handlers.questionnaire.keyboards import option_rows, question_keyboard

pytestmark = pytest.mark.usefixtures("frozen_clock")


@dataclass(frozen=True)
class Node:
    id: str
    text: str
    options: tuple[tuple[str, str], ...]
    ask_when: Condition = field(default=ALWAYS)


ORDER = QuestionGraph([
    Node("kind", "Tea or coffee?", (("Tea", "tea"), ("Coffee", "coffee"))),
    Node("milk", "With milk?", (("Milk", "yes"), ("Black", "no")), Compare("kind", "eq", "coffee")),
    Node("size", "Which size?", (("Small", "small"), ("Large", "large"))),
], condition=lambda q: q.ask_when)


class Order(Dialogue):
    """All a new questionnaire needs: a name, a key, a state, an entry command, a graph, two screens."""

    name, key, command = "to", "order", "order"

    def __init__(self) -> None:
        from aiogram.fsm.state import State

        self.state = State("asking", group_name="Order")

    def graph(self, source):
        return ORDER

    def options(self, question):
        return question.options

    def card(self, card: Card):
        text = f"{card.number}/{card.total}: {card.question.text}"
        labels = [label for label, _value in card.question.options]
        values = [value for _label, value in card.question.options]
        previous = card.answers.get(card.question.id)
        chosen = values.index(previous) if previous in values else None
        rows = option_rows(self.name, card.question.id, labels, chosen)
        return text, question_keyboard(self.name, rows, card.can_go_back)

    def end(self, session):
        summary = ", ".join(f"{key}={value}" for key, value in session.relevant.items())
        return [f"Order: {summary}"], question_keyboard(self.name, [], can_go_back=True)


@pytest.fixture()
async def order_bot(harness, monkeypatch):
    """The harness's bot with the order questionnaire among its routers (before the fallback)."""
    module = types.ModuleType("handlers.test_order")
    module.make_router = lambda: questionnaire.make_router(Order())
    monkeypatch.setitem(sys.modules, "handlers.test_order", module)
    monkeypatch.setattr(bot.app, "HANDLER_MODULES", (*bot.app.HANDLER_MODULES, "test_order"))
    await harness.restart()
    return harness


async def test_a_third_questionnaire_is_a_graph_and_a_router_argument(order_bot):
    harness = order_bot
    user = harness.user("ru")
    start_over, back = tr("ru", "↺ Start over"), tr("ru", "◀ Back")
    reply = await user.send("/order")
    assert reply.last.text == "1/2: Tea or coffee?"  # the likely total: first options all the way
    assert reply.last.button_texts == ["Tea", "Coffee", start_over]
    card = reply.last
    reply = await user.press("Coffee")
    assert reply.edited[0].message_id == card.message_id
    assert reply.last.text == "2/3: With milk?"
    assert reply.last.button_texts == ["Milk", "Black", back, start_over]
    reply = await user.send("latte")  # typed at a button question: one line, the card stays above
    assert reply.last.text == tr("ru", "Please choose one of the buttons under the question above.")
    assert len(reply.messages) == 1
    await user.press("Milk")
    await user.press(back)
    reply = await user.press(back)
    assert reply.last.text == "1/2: Tea or coffee?" and "✓ Coffee" in reply.last.button_texts
    reply = await user.press("Tea")  # the milk answer is kept, but no longer matters
    assert reply.last.text == "2/2: Which size?"
    await harness.restart()  # the answers live in the user's dialogue, under the questionnaire's key
    reply = await user.press("Large")
    assert reply.last.text == "Order: kind=tea, size=large"
    stale = QuestionnaireAnswer(n="to", r=0, q="milk", i=0).pack()
    reply = await user.press_data(stale, card.message_id)
    query = list(harness.fake.callback_queries.values())[-1]
    assert query["answer"]["text"] == tr("ru", "This button is out of date. Here is the current step.")
    assert reply.events == []  # the pressed message already shows the current step: the end screen
    assert harness.fake.current(user.id, card.message_id).text == "Order: kind=tea, size=large"
    reply = await user.send("hello")  # the end screen: typed text is no answer any more
    assert tr("ru", "I did not understand that. Choose from the menu, or send /help.") in reply.text
    reply = await user.press(start_over, harness.fake.current(user.id, card.message_id))
    assert reply.last.text == "1/2: Tea or coffee?"
    await user.send("/precheck")  # the pre-check is a questionnaire beside it, its answers apart
    assert shown_question(user, "ru").id == "citizen"
    reply = await user.press_data(QuestionnaireAnswer(n="to", r=0, q="kind", i=1).pack(), card.message_id)
    assert "2/3: With milk?" in reply.text


async def test_the_pre_check_reads_its_buttons_old_and_new(harness):
    user = harness.user("kk")
    await user.send("/precheck")
    card = user.keyboard_message
    assert all(data.startswith("qn:pc:") or data.startswith("qa:pc:0:citizen:")
               for row in card.inline for data in [row_button["callback_data"] for row_button in row])
    reply = await user.press_data("pa:citizen:0", card.message_id)  # a button sent before the runner
    assert shown_question(user, "kk").id == "who" and reply.edited
    await user.press_data("pn:back", card.message_id)
    assert shown_question(user, "kk").id == "citizen"
    await user.press_data(QuestionnaireAnswer(n="pc", r=0, q="citizen", i=0).pack())
    assert shown_question(user, "kk").id == "who"
    for forged in ("qa:pc:broken", "qa:zz:0:who:0", QuestionnaireAnswer(n="pc", r=0, q="age", i=7).pack(),
                   QuestionnaireQuick(n="pc", q="who", v="today").pack(),
                   "qn:pc:fly"):
        await user.press_data(forged)  # answered (the harness checks), never crashes
    assert shown_question(user, "kk").id == "who"
    queries = list(harness.fake.callback_queries.values())
    assert [q["answer"].get("text") for q in queries[-3:-1]] == \
        [tr("kk", "This button is out of date. Here is the current step.")] * 2
    await user.press_data("pn:restart")
    assert shown_question(user, "kk").id == "citizen"
