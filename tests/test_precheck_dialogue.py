"""The pre-check dialogue end to end on the fake Telegram, in Kazakh and in Russian.

Every outcome is reached by pressing buttons and typing as a person would; Back, Start over, bad typed
answers, stale buttons and a restart mid-dialogue are exercised; the result card is checked for what
§6, §7, §8, §11, §13 and §16 require it to say.
"""

from __future__ import annotations

import pytest
from dialogue_support import (
    FROZEN,
    LANGS,
    adult_self,
    answer,
    assert_callback_data_fits,
    frozen_clock,  # noqa: F401  (fixture)
    ntr,
    shown_question,
    tr,
    walk,
)

from bot.formatting import day, money, pick
from bot.rules.eligibility import progress
from bot.rules.ruleset import load_ruleset
from handlers.precheck.keyboards import PrecheckAnswer, PrecheckQuick

pytestmark = pytest.mark.usefixtures("frozen_clock")
NOT_A_NUMBER = "I need the age as a whole number of full years, for example 17. Your other answers are kept."
RULESET = load_ruleset()


def doc_ids(text: str) -> set[str]:
    return {d.id for d in RULESET.documents if f"☐ {d.paragraph} {d.title['kk']}" in text
            or f"☐ {d.paragraph} {d.title['ru']}" in text}


def common_result_checks(text: str, lang: str) -> None:
    """What every eligible result card says: fee, term, place, the §11 note, the ruleset, pre-check."""
    assert money(4325, lang) in text
    assert day(FROZEN.date(), lang) in text
    assert pick(RULESET.terms.text, lang).split(".")[0] in text
    assert "(§13)" in text and pick(RULESET.submission.text, lang).rstrip(".") in text
    assert pick(RULESET.documents_note.text, lang).split(".")[0] in text
    assert RULESET.id in text
    assert pick(RULESET.disclaimer, lang).split(".")[0] in text


@pytest.mark.parametrize("lang", LANGS)
async def test_adult_applying_alone_gets_the_basic_checklist(harness, lang):
    user = harness.user(lang)
    reply = await walk(user, lang, adult_self())
    text = reply.last.text
    assert tr(lang, "✅ You can apply") in text
    assert doc_ids(text) == {"11.1", "11.2", "11.7"}
    assert tr(lang, "Who files: the person leaving, in person.") in text
    common_result_checks(text, lang)
    assert tr(lang, "📍 Find the office") in reply.buttons
    assert_callback_data_fits(harness.fake)


@pytest.mark.parametrize("lang", LANGS)
async def test_married_seventeen_year_old_applies_alone_with_alimony_and_military_papers(harness, lang):
    user = harness.user(lang)
    answers = adult_self(age=17, married=True, alimony_dependants_in_kz=True, military_registered=True,
                         with_one_parent=False)
    del answers["conscript_service"]  # not asked under 18
    text = (await walk(user, lang, answers)).last.text
    assert tr(lang, "✅ You can apply") in text
    assert tr(lang, "Who files: the person leaving, in person.") in text
    assert doc_ids(text) == {"11.1", "11.2", "11.3", "11.4", "11.7"}


@pytest.mark.parametrize("lang", LANGS)
async def test_unmarried_seventeen_year_old_is_represented(harness, lang):
    user = harness.user(lang)
    answers = adult_self(age=17, married=False, with_one_parent=False)
    for key in ("conscript_service", "alimony_dependants_in_kz"):
        answers.pop(key)
    text = (await walk(user, lang, answers)).last.text
    assert tr(lang, "Who files: the legal representative (parent, trustee or guardian).") in text
    assert "11.5" in doc_ids(text)
    assert ") (§" not in text  # one bracket of paragraphs per sentence: "(§11, §6)."


@pytest.mark.parametrize("lang", LANGS)
async def test_a_refusal_cites_its_paragraphs_once_per_sentence(harness, lang):
    user = harness.user(lang)
    text = (await walk(user, lang, adult_self(tax_debt=True))).last.text
    assert ") (§" not in text and "..".join("гж") not in text
    assert f"({RULESET.refusal_notice.paragraph}" in text or f", {RULESET.refusal_notice.paragraph})" in text


@pytest.mark.parametrize("lang", LANGS)
async def test_child_under_ten_needs_no_guardianship_opinion(harness, lang):
    user = harness.user(lang)
    answers = {"citizen": True, "who": "child", "age": 8, "false_information": False,
               "civil_defendant": False, "tax_debt": False, "with_one_parent": False, "payment_date": "today"}
    text = (await walk(user, lang, answers)).last.text
    assert tr(lang, "✅ You can apply") in text
    assert tr(lang, "Who files: the legal representative (parent, trustee or guardian).") in text
    assert doc_ids(text) == {"11.1", "11.2", "11.7"}


@pytest.mark.parametrize("lang", LANGS)
async def test_child_of_twelve_with_one_parent_needs_opinion_and_consent(harness, lang):
    user = harness.user(lang)
    answers = {"citizen": True, "who": "child", "age": 12, "false_information": False,
               "civil_defendant": False, "tax_debt": False, "with_one_parent": True,
               "other_parent_in_kz": True, "payment_date": "today"}
    text = (await walk(user, lang, answers)).last.text
    assert doc_ids(text) == {"11.1", "11.2", "11.5", "11.6", "11.7"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("age", [18, 45])
async def test_my_child_of_18_or_more_is_told_to_apply_in_person(harness, lang, age):  # §6
    user = harness.user(lang)
    text = (await walk(user, lang, adult_self(who="child", age=age))).last.text
    assert tr(lang, "✅ You can apply") in text
    rule = next(r for r in RULESET.applicant if r.via == "self" and "«Мой ребёнок»" in r.explanation.ru)
    said = tr(lang, "Who files: the person leaving, in person.") + " " + pick(rule.explanation, lang)
    assert said.rstrip(".") + " (§6)." in text
    assert tr(lang, "Who files: the legal representative (parent, trustee or guardian).") not in text


@pytest.mark.parametrize("lang", LANGS)
async def test_ward_is_represented_by_the_guardian(harness, lang):
    user = harness.user(lang)
    answers = adult_self(who="ward", age=40)
    answers.pop("conscript_service")
    text = (await walk(user, lang, answers)).last.text
    assert tr(lang, "✅ You can apply") in text
    guardian = pick(RULESET.applicant[-1].representative, lang)
    assert tr(lang, "Who files: the legal representative, the {representative}.",
              representative=guardian) in text
    assert tr(lang, "Who files: the legal representative (parent, trustee or guardian).") not in text
    assert pick(RULESET.applicant[-1].explanation, lang).rstrip(".") in text


AGE_WORDING = {  # who → (question, start of the hint) as the user reads them
    "self": {"kk": ("Сіз неше жастасыз (толық жыл)?", "18 жастан (некеде болсаңыз — 16 жастан)"),
             "ru": ("Сколько вам полных лет?", "С 18 лет (в браке — с 16) документы вы подаёте сами")},
    "child": {"kk": ("Балаңыз неше жаста (толық жыл)?", "Балаңыз 18 жасқа толмаса, құжаттарды"),
              "ru": ("Сколько полных лет вашему ребёнку?", "За ребёнка до 18 лет документы подаёте вы")},
    "ward": {"kk": ("Қорғаншылығыңыздағы адам неше жаста (толық жыл)?", "Сот әрекетке қабілетсіз"),
             "ru": ("Сколько полных лет гражданину под вашей опекой?", "За совершеннолетнего, признанного")},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("who", sorted(AGE_WORDING))
async def test_the_age_question_speaks_to_the_one_answering(harness, lang, who):
    """"How old are you?" after "I am leaving myself"; a parent is not told "the service is from 18"."""
    user = harness.user(lang)
    await walk(user, lang, adult_self(who=who), until="age")
    card = user.keyboard_message.text
    question, hint = AGE_WORDING[who][lang]
    assert question in card and hint in card
    assert RULESET.question("age").text[lang] not in card
    assert RULESET.question("age").hint[lang] not in card


@pytest.mark.parametrize("lang", LANGS)
async def test_the_marriage_question_asks_you_after_i_am_leaving_myself(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self(age=17), until="married")
    card = user.keyboard_message.text
    assert {"kk": "Сіз некеде тұрсыз ба?", "ru": "Состоите ли вы в браке?"}[lang] in card
    assert RULESET.question("married").text[lang] not in card


@pytest.mark.parametrize("lang", LANGS)
async def test_not_a_citizen_is_told_the_service_does_not_apply(harness, lang):
    user = harness.user(lang)
    text = (await walk(user, lang, {"citizen": False})).last.text
    assert tr(lang, "ℹ️ This service does not apply") in text
    assert pick(RULESET.outcomes["not_applicable"].explanation, lang).rstrip(".") in text
    assert "(§6)" in text
    assert "☐" not in text


@pytest.mark.parametrize("ground", [g.id for g in RULESET.grounds])
@pytest.mark.parametrize("lang", LANGS)
async def test_each_refusal_ground_says_what_lifts_it_and_how_to_appeal(harness, lang, ground):
    user = harness.user(lang)
    answers = adult_self(**{ground: True})
    text = (await walk(user, lang, answers)).last.text
    rule = next(g for g in RULESET.grounds if g.id == ground)
    assert tr(lang, "⛔ There are grounds for refusal") in text
    assert pick(rule.text, lang) in text
    assert tr(lang, "Lifted: {when}", when=pick(rule.lifted_when, lang)) in text
    assert pick(RULESET.refusal_notice.text, lang).split(".")[0] in text
    assert "☐" not in text and tr(lang, "Who files: the person leaving, in person.") not in text


def progress_line(lang: str, number: int, answers: dict) -> str:
    optional = sum(1 for q in RULESET.questions if not q.required and q.id not in answers)
    total = progress(answers, RULESET).total + optional
    msgid = "Question {number} of about {total}"
    return ntr(lang, msgid, msgid, total, number=number, total=total)


@pytest.mark.parametrize("lang", LANGS)
async def test_progress_is_shown_and_counts_up(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    assert user.keyboard_message.text.splitlines()[0] == progress_line(lang, 1, {})
    await answer(user, lang, RULESET.question("citizen"), True)
    assert user.keyboard_message.text.splitlines()[0] == progress_line(lang, 2, {"citizen": True})


@pytest.mark.parametrize("lang", LANGS)
async def test_back_keeps_later_answers_that_still_apply(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self())
    for _ in range(3):  # result → payment date → military → alimony
        reply = await user.press(tr(lang, "◀ Back"))
        assert reply.edited and not reply.sent
    assert shown_question(user, lang).id == "alimony_dependants_in_kz"
    assert "✓ " + tr(lang, "No") in user.keyboard_message.button_texts
    reply = await user.press(tr(lang, "Yes"))
    # military and payment date were kept: straight back to the result, now with §11.3.
    assert shown_question(user, lang) is None
    assert doc_ids(reply.last.text) == {"11.1", "11.2", "11.3", "11.7"}


@pytest.mark.parametrize("lang", LANGS)
async def test_back_to_a_typed_answer_offers_to_keep_it(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    for qid, value in (("citizen", True), ("who", "self"), ("age", 30)):
        await answer(user, lang, RULESET.question(qid), value)
    await user.press(tr(lang, "◀ Back"))
    assert shown_question(user, lang).id == "age"
    await user.press(tr(lang, "Keep: {answer}", answer="30"))
    assert shown_question(user, lang).id == "state_secret"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_changed_age_asks_only_what_now_applies(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self())
    for _ in range(len(RULESET.questions)):
        await user.press(tr(lang, "◀ Back"))
        if shown_question(user, lang).id == "age":
            break
    assert shown_question(user, lang).id == "age"
    await user.send("15")  # now a represented minor: the §11.6 question, the kept answers skipped
    assert shown_question(user, lang).id == "with_one_parent"
    await user.press(tr(lang, "No"))
    text = user.keyboard_message.text
    assert tr(lang, "Who files: the legal representative (parent, trustee or guardian).") in text
    assert doc_ids(text) == {"11.1", "11.2", "11.5", "11.7"}


@pytest.mark.parametrize("lang", LANGS)
async def test_start_over_clears_the_answers(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self())
    reply = await user.press(tr(lang, "↺ Start over"))
    assert reply.edited and not reply.sent
    assert shown_question(user, lang).id == "citizen"
    assert tr(lang, "◀ Back") not in user.keyboard_message.button_texts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("typed", "msgid"),
    [("abc", NOT_A_NUMBER), ("-5", NOT_A_NUMBER), ("17.5", NOT_A_NUMBER), ("twelve", NOT_A_NUMBER),
     ("250", "That does not look like an age. Type a whole number of years from {low} to {high}.")],
)
async def test_bad_age_is_answered_politely_and_nothing_is_lost(harness, lang, typed, msgid):
    user = harness.user(lang)
    await user.send("/precheck")
    await answer(user, lang, RULESET.question("citizen"), True)
    await answer(user, lang, RULESET.question("who"), "self")
    reply = await user.send(typed)
    age = RULESET.question("age")
    assert reply.text == tr(lang, msgid, low=age.min, high=age.max)
    assert shown_question(user, lang).id == "age"
    await user.send("30")
    assert shown_question(user, lang).id == "state_secret"


UNREADABLE_DATE = ("I could not read that date. Type it as DD.MM.YYYY, for example 25.11.2026, "
                   "or as YYYY-MM-DD. Your other answers are kept.")
NO_SUCH_DATE = "There is no such date in the calendar. Check the day and the month, for example 25.11.2026."
TOO_EARLY = ("This pre-check applies the rules in force from {date}, so it covers payments from that day "
             "on: type a later date, or press Today. The fee on an earlier day is shown by /fee.")


@pytest.mark.parametrize("lang", LANGS)
async def test_bad_payment_dates_are_answered_and_good_ones_priced(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, adult_self(), until="payment_date")
    for typed in ("tomorrow", "2026/11"):
        assert (await user.send(typed)).text == tr(lang, UNREADABLE_DATE)
    for typed in ("31.02.2024", "31.02.2026", "2026-13-01"):
        assert (await user.send(typed)).text == tr(lang, NO_SUCH_DATE)
    reply = await user.send("01.01.2012")  # the fee screen knows this day; the pre-check says why not
    assert reply.text == tr(lang, TOO_EARLY, date=day(RULESET.valid_from, lang))
    assert "/fee" in reply.text
    assert shown_question(user, lang).id == "payment_date"
    reply = await user.send("2022-06-15")
    assert money(3063, lang) in reply.last.text  # the April 2022 MRP rise did not apply to state duties
    await user.press(tr(lang, "◀ Back"))
    reply = await user.send("01.04.2020")
    assert money(2778, lang) in reply.last.text
    assert day(FROZEN.date().replace(year=2020, month=4, day=1), lang) in reply.last.text


@pytest.mark.parametrize("lang", LANGS)
async def test_other_text_at_a_button_question_is_one_line_pointing_at_the_buttons(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    reply = await user.send("maybe")
    assert [e.message.text for e in reply.events] == [
        tr(lang, "Please press Yes or No under the question above (or type yes or no).")]
    assert shown_question(user, lang).id == "citizen"
    await answer(user, lang, RULESET.question("citizen"), True)
    reply = await user.send("да")  # a yes/no word is no answer to "who is leaving?"
    assert [e.message.text for e in reply.events] == [
        tr(lang, "Please choose one of the buttons under the question above.")]
    assert shown_question(user, lang).id == "who"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "meant"), [("да", True), (" ИӘ ", True), ("Нет", False), ("жоқ", False),
                                              ("ия", True)])
async def test_yes_and_no_words_answer_a_yes_no_question(harness, lang, typed, meant):
    user = harness.user(lang)
    await user.send("/precheck")
    await user.send(typed)
    following = "who" if meant else None  # "not a citizen" ends the walk
    current = shown_question(user, lang)
    assert (current.id if current else None) == following


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("who", "age", "low", "high", "msgid"), [
    ("ward", "12", 18, 130, "For “{choice}” the age is at least {low}. Type the age again, or press Back "
                            "to change the answer to who is leaving."),
])
async def test_an_age_contradicting_who_is_leaving_is_refused_with_the_reason(harness, lang, who, age, low,
                                                                              high, msgid):
    user = harness.user(lang)
    await user.send("/precheck")
    await answer(user, lang, RULESET.question("citizen"), True)
    await answer(user, lang, RULESET.question("who"), who)
    reply = await user.send(age)
    label = next(pick(o.label, lang) for o in RULESET.question("who").options if o.value == who)
    assert reply.text == tr(lang, msgid, choice=label, low=low, high=high)
    assert shown_question(user, lang).id == "age"


@pytest.mark.parametrize("lang", LANGS)
async def test_changing_who_after_back_drops_an_age_it_contradicts(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    await answer(user, lang, RULESET.question("citizen"), True)
    await answer(user, lang, RULESET.question("who"), "child")
    await user.send("12")
    await user.press(tr(lang, "◀ Back"))
    await user.press(tr(lang, "◀ Back"))
    assert shown_question(user, lang).id == "who"
    await answer(user, lang, RULESET.question("who"), "ward")
    assert shown_question(user, lang).id == "age"  # 12 no longer fits: asked again, nothing breaks
    await user.send("40")
    assert shown_question(user, lang).id == "state_secret"


@pytest.mark.parametrize("lang", LANGS)
async def test_stale_button_is_answered_and_shows_the_current_step(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    first = user.keyboard_message
    await answer(user, lang, RULESET.question("citizen"), True)
    await answer(user, lang, RULESET.question("who"), "self")  # now the age question is current
    stale = PrecheckAnswer(q="citizen", i=1).pack()  # "No" to a question already answered
    reply = await user.press_data(stale, first.message_id)
    query = list(harness.fake.callback_queries.values())[-1]
    assert query["answer"]["text"] == tr(lang, "This button is out of date. Here is the current step.")
    assert shown_question(user, lang).id == "age"
    assert reply.events == []  # the pressed message already shows the current step: left as it is
    for forged in (PrecheckAnswer(q="age", i=7).pack(), PrecheckAnswer(q="nope", i=0).pack(),
                   PrecheckQuick(q="age", v="today").pack(), "pa:broken", "pn:fly"):
        await user.press_data(forged)  # answered (the harness checks), never crashes
    assert shown_question(user, lang).id == "age"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_restart_mid_dialogue_continues_where_the_user_was(harness, lang):
    user = harness.user(lang)
    await user.send("/precheck")
    await answer(user, lang, RULESET.question("citizen"), True)
    await answer(user, lang, RULESET.question("who"), "self")
    old = user.keyboard_message
    await harness.restart()
    reply = await user.send("30")  # the typed age still goes to the pre-check
    assert shown_question(user, lang).id == "state_secret"
    await user.press(tr(lang, "◀ Back"))
    await user.press(tr(lang, "Keep: {answer}", answer="30"))
    reply = await user.press_data(PrecheckAnswer(q="who", i=0).pack(), old.message_id)  # from before
    assert reply.edited
    assert shown_question(user, lang).id == "state_secret"


@pytest.mark.parametrize("lang", LANGS)
async def test_menu_entry_starts_and_then_resumes_the_pre_check(harness, lang):
    user = harness.user(lang)
    await user.send("/start")
    menu = user.keyboard_message
    reply = await user.press(menu.button_texts[0])
    assert reply.edited and shown_question(user, lang).id == "citizen"
    await answer(user, lang, RULESET.question("citizen"), True)
    await user.send("/menu")
    await user.press(user.keyboard_message.button_texts[0])
    assert shown_question(user, lang).id == "who"


async def test_every_question_and_result_button_fits_callback_data_limits(harness):
    user = harness.user("kk")
    await walk(user, "kk", adult_self(who="child", age=12, with_one_parent=True, other_parent_in_kz=True))
    assert_callback_data_fits(harness.fake)
    for question in RULESET.questions:
        for index in range(max(2, len(question.options))):
            assert len(PrecheckAnswer(q=question.id, i=index).pack().encode()) <= 64
        for value in ("today", "keep"):
            assert len(PrecheckQuick(q=question.id, v=value).pack().encode()) <= 64


@pytest.mark.parametrize("lang", LANGS)
async def test_progress_after_back_counts_the_reopened_question_as_open(harness, lang):
    user = harness.user(lang)
    await walk(user, lang, {"citizen": False})
    await user.press(tr(lang, "◀ Back"))
    assert shown_question(user, lang).id == "citizen"
    assert user.keyboard_message.text.splitlines()[0] == progress_line(lang, 1, {})


@pytest.mark.parametrize(
    "stored",
    [
        {"answers": {"no_such_question": True}},
        {"answers": {"age": "thirty"}, "cursor": "who"},
        {"answers": {"citizen": True}, "cursor": "no_such_question"},
        {"ruleset": "withdrawn-ruleset", "answers": {"citizen": True}},
        "not a dict",
    ],
)
async def test_state_that_no_longer_fits_starts_the_pre_check_afresh(harness, stored):
    from aiogram.fsm.storage.base import StorageKey

    from handlers.precheck.session import Precheck

    user = harness.user("ru")
    await user.send("/start")
    key = StorageKey(bot_id=harness.bot.id, chat_id=user.id, user_id=user.id)
    await harness.dp.storage.set_state(key, Precheck.active)
    await harness.dp.storage.set_data(key, {"precheck": stored})
    await user.send("42")  # typed while the broken pre-check was "active": no crash, the first question
    assert shown_question(user, "ru").id == "citizen"
    await user.press_data(PrecheckAnswer(q="citizen", i=0).pack())
    assert shown_question(user, "ru").id == "who"


@pytest.mark.parametrize("lang", LANGS)
async def test_a_result_longer_than_one_message_is_split_with_the_keyboard_last(harness, lang, monkeypatch):
    import handlers.precheck.router
    from bot.formatting import split_text

    monkeypatch.setattr(handlers.precheck.router, "split_text", lambda text: split_text(text, limit=900))
    user = harness.user(lang)
    answers = adult_self(who="child", age=12, with_one_parent=True, other_parent_in_kz=True)
    await walk(user, lang, answers, until="payment_date")
    question_message = user.keyboard_message
    reply = await user.press(tr(lang, "Today"))
    assert len(reply.messages) >= 3
    assert reply.edited[0].message_id == question_message.message_id and not reply.edited[0].inline
    assert all(len(m.text) <= 900 for m in reply.messages)
    assert [bool(m.inline) for m in reply.sent] == [False] * (len(reply.sent) - 1) + [True]
    assert tr(lang, "📍 Find the office") in reply.sent[-1].button_texts
    assert doc_ids("\n".join(m.text for m in reply.messages)) == {"11.1", "11.2", "11.5", "11.6", "11.7"}
    await user.press(tr(lang, "◀ Back"))  # from the last part: back to the payment date, in place
    assert shown_question(user, lang).id == "payment_date"


@pytest.mark.parametrize("lang", LANGS)
async def test_the_menu_from_the_result_comes_below_it_and_the_checklist_stays(harness, lang):
    user = harness.user(lang)
    result = (await walk(user, lang, adult_self())).last
    reply = await user.press(tr(lang, "☰ Main menu"))
    assert not reply.edited and reply.last.text == tr(lang, "Main menu. What do you need?")
    kept = harness.fake.current(user.id, result.message_id)
    assert kept.text == result.text  # the checklist is still there, as it was


@pytest.mark.parametrize("lang", LANGS)
async def test_after_language_the_menu_is_a_fresh_start_and_the_answers_wait(harness, lang):
    """/language mid-dialogue shows the menu: a number typed next is no age for a hidden question,
    and the pre-check from the menu carries on where it was, in the new language."""
    other = "ru" if lang == "kk" else "kk"
    user = harness.user(lang)
    await walk(user, lang, {"citizen": True, "who": "self"}, until="age")
    await user.send("/language")
    await user.press(tr(other, "Russian" if other == "ru" else "Kazakh"))
    reply = await user.send("35")
    assert RULESET.question("state_secret").text[other] not in reply.text  # not taken as the age
    await user.press(tr(other, "✅ Check if I can apply"))
    assert shown_question(user, other).id == "age"
