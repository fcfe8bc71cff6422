"""Complaints domain: §24 fields, the answer term from data, and who may move a complaint where."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import complaints as c
from bot.clock import KZ_TZ

TODAY = date(2026, 11, 25)
OFFICES = {"ast-1": "ast", "ast-2": "ast", "alm-1": "alm"}


def exists(office_id: str) -> bool:
    return office_id in OFFICES


def individual(**over):
    base = dict(kind="individual", surname="  Сейткали ", name="Айгерім", patronymic=None,
                postal_address="Астана қ., Абай к., 1", office_id="ast-1", channel="bot",
                category="long_wait", text="Кезекте бір сағат күттім, ешкім қабылдамады.")
    base.update(over)
    return c.Draft(**base)


def entity(**over):
    base = dict(kind="legal_entity", entity_name="ТОО «Жол»", postal_address="Алматы, Абай 10",
                outgoing_number="12/345", outgoing_date="01.11.2026", office_id="alm-1",
                channel="post", text="Просим рассмотреть задержку решения по заявлению.")
    base.update(over)
    return c.Draft(**base)


def codes(problems):
    return {(p.field, p.code) for p in problems}


def test_terms_come_from_data_with_their_source():
    terms = c.load_terms()
    assert (terms.answer_days, terms.extended_days) == (15, 30)
    assert "12.01.2007" in terms.source and "not confirmed" in terms.source
    assert "Administrative Procedural Code" in terms.source
    assert {cat.id for cat in terms.categories} == {
        "rude_service", "long_wait", "late_decision", "extra_documents", "refusal", "other"}
    assert all(cat.label["kk"] and cat.label["ru"] and cat.ref.startswith("§") for cat in terms.categories)
    assert terms.category("rude_service").handled_by == "higher_management"
    assert terms.open_statuses == ("registered", "in_review", "forwarded")


def test_a_valid_individual_is_tidied():
    draft, problems = c.validate(individual(entity_name="ignored"), exists, TODAY)
    assert problems == []
    assert draft.surname == "Сейткали" and draft.entity_name is None


def test_text_keeps_paragraphs_but_not_runs_of_blank_lines():
    draft, problems = c.validate(individual(text=" Бірінші  жол\n\n\n\nЕкінші   жол "), exists, TODAY)
    assert problems == [] and draft.text == "Бірінші жол\n\nЕкінші жол"


def test_missing_fields_of_an_individual_are_each_reported():
    _, problems = c.validate(individual(surname=" ", name=None, postal_address="", text=None), exists, TODAY)
    assert codes(problems) == {("surname", "required"), ("name", "required"),
                               ("postal_address", "required"), ("text", "required")}


def test_legal_entity_needs_its_outgoing_number_and_date():
    draft, problems = c.validate(entity(), exists, TODAY)
    assert problems == [] and draft.outgoing_date == "2026-11-01" and draft.category == "other"
    bare = entity(entity_name=None, outgoing_number=None, outgoing_date=None)
    _, problems = c.validate(bare, exists, TODAY)
    assert codes(problems) == {("entity_name", "required"), ("outgoing_number", "required"),
                               ("outgoing_date", "required")}
    assert codes(c.validate(entity(outgoing_date="31.02.2026"), exists, TODAY)[1]) == {
        ("outgoing_date", "no_such_date")}
    assert codes(c.validate(entity(outgoing_date="вчера"), exists, TODAY)[1]) == {
        ("outgoing_date", "bad_date")}
    assert codes(c.validate(entity(outgoing_date="2026-11-26"), exists, TODAY)[1]) == {
        ("outgoing_date", "future_date")}


@pytest.mark.parametrize(("field", "value", "code"), [
    ("kind", "company", "unknown"),
    ("channel", "fax", "unknown"),
    ("category", "noise", "unknown"),
    ("office_id", "nowhere", "unknown"),
    ("surname", "R2D2", "bad_characters"),
    ("name", "x" * 101, "too_long"),
    ("postal_address", "y" * 301, "too_long"),
    ("text", "қысқа", "too_short"),
    ("text", "ә" * 3001, "too_long"),
    ("text", "бұл мәтін\x07 ішінде қоңырау бар", "bad_characters"),
])
def test_each_bad_field_is_named(field, value, code):
    _, problems = c.validate(individual(**{field: value}), exists, TODAY)
    assert (field, code) in codes(problems)


def test_names_allow_hyphens_apostrophes_and_initials():
    for surname in ("Нұрмұхамед-Әлі", "O'Brien", "Иванова", "Ким Ен Су", "А.", "А.Б.", "А. Б.", "Жан - Пьер",
                    "д’Артаньян"):
        assert c.validate(individual(surname=surname), exists, TODAY)[1] == []


@pytest.mark.parametrize("address", ["x", ".", "12", "050000 12", "0500001234567", "-- ,, -- ,,"])
def test_a_postal_address_needs_length_and_letters(address):
    assert ("postal_address", "not_address") in codes(c.validate(individual(postal_address=address), exists,
                                                                 TODAY)[1])
    assert ("postal_address", "not_address") in codes(c.validate(entity(postal_address=address), exists,
                                                                 TODAY)[1])


def test_short_real_addresses_still_pass():
    for address in ("Есік, Абай 5", "Алматы, Абай 10", "а/я 15, Талгар"):
        assert c.validate(individual(postal_address=address), exists, TODAY)[1] == [], address


@pytest.mark.parametrize(("field", "value", "code"), [
    ("entity_name", ".", "no_letters"), ("entity_name", "«7»", "no_letters"),
    ("outgoing_number", ".", "no_alnum"), ("outgoing_number", "/-", "no_alnum"),
])
def test_an_organisation_gives_letters_and_a_number(field, value, code):
    assert (field, code) in codes(c.validate(entity(**{field: value}), exists, TODAY)[1])
    assert c.validate(entity(outgoing_number="б/н"), exists, TODAY)[1] == []


@pytest.mark.parametrize("surname", [".", "-", "'", "А--", "А-", "А..", "- А"])
def test_names_are_letters_joined_by_one_mark(surname):
    assert ("surname", "bad_characters") in codes(c.validate(individual(surname=surname), exists, TODAY)[1])


def test_the_command_line_reads_the_new_problems():
    assert c.Problem("postal_address", "not_address", 10).describe().startswith(
        "postal_address is not a postal address (at least 10 characters")
    assert c.Problem("entity_name", "no_letters", 2).describe() == "entity_name has fewer than 2 letters"
    assert c.Problem("outgoing_number", "no_alnum").describe() == (
        "outgoing_number has neither a letter nor a digit")


def test_mapping_rejects_non_text_values_without_crashing():
    draft, problems = c.draft_from_mapping({"kind": "individual", "surname": 5, "text": ["x"]})
    assert codes(problems) == {("surname", "not_text"), ("text", "not_text")}
    assert draft.kind == "individual" and draft.surname is None
    assert c.Problem("text", "too_long", 3000).describe() == "text is longer than 3000 characters"


def test_due_date_counts_calendar_days_in_almaty():
    late_evening_utc = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)  # 01:30 on the 26th in Almaty
    assert c.due_date(late_evening_utc) == date(2026, 12, 11)
    noon = datetime(2026, 12, 25, 12, 0, tzinfo=KZ_TZ)
    assert c.due_date(noon) == date(2027, 1, 9)
    assert c.due_date(noon, extended=True) == date(2027, 1, 24)
    with pytest.raises(ValueError):
        c.due_date(datetime(2026, 1, 1))


def test_overdue_only_while_open():
    due = date(2026, 12, 10)
    assert c.is_overdue("in_review", due, due + timedelta(days=1))
    assert not c.is_overdue("in_review", due, due)
    assert not c.is_overdue("answered", due, due + timedelta(days=9))


STAFF = [c.Grant("office_staff", "ast-1")]
SUPERVISOR = [c.Grant("department_supervisor", "ast")]
ADMIN = [c.Grant("admin")]


def test_office_staff_reach_only_their_office_and_not_rude_service():
    assert c.may_view(STAFF, "ast-1", "ast", "long_wait")
    assert not c.may_view(STAFF, "ast-2", "ast", "long_wait")
    assert not c.may_view(STAFF, "ast-1", "ast", "rude_service")  # §22: higher management
    assert c.may_view(SUPERVISOR, "ast-2", "ast", "rude_service")
    assert not c.may_view(SUPERVISOR, "alm-1", "alm", "long_wait")
    assert c.may_view(ADMIN, "alm-1", "alm", "rude_service")
    assert not c.may_view([], "ast-1", "ast", "other")
    assert not c.may_view([c.Grant("citizen", "ast-1")], "ast-1", "ast", "other")


def test_transitions_follow_the_table():
    assert c.may_transition(STAFF, "ast-1", "ast", "other", "registered", "in_review")
    assert c.may_transition(STAFF, "ast-1", "ast", "other", "in_review", "answered")
    assert c.may_transition(STAFF, "ast-1", "ast", "other", "answered", "closed")
    assert not c.may_transition(STAFF, "ast-1", "ast", "other", "registered", "closed")
    assert not c.may_transition(STAFF, "ast-1", "ast", "other", "answered", "in_review")  # reopen
    assert c.may_transition(SUPERVISOR, "ast-1", "ast", "other", "answered", "in_review")
    assert not c.may_transition(STAFF, "ast-2", "ast", "other", "registered", "in_review")
    assert not c.may_transition(ADMIN, "ast-1", "ast", "other", "closed", "in_review")


def test_retention_setting_overrides_the_data_default():
    assert c.retention_days(None) == c.load_terms().retention_days == 1095
    assert c.retention_days(30) == 30


def test_check_field_answers_one_typed_field_at_a_time():
    assert c.check_field("surname", "  Ким  ", TODAY) == ("Ким", None)
    assert c.check_field("patronymic", "   ", TODAY) == (None, None)
    assert c.check_field("outgoing_date", "1.11.2026", TODAY) == ("2026-11-01", None)
    assert c.check_field("outgoing_date", "ертең", TODAY)[1] == c.Problem("outgoing_date", "bad_date")
    shortest = c.load_terms().limits["text_min"]
    assert c.check_field("text", "қысқа", TODAY)[1] == c.Problem("text", "too_short", shortest)


def stored(**over):
    at = datetime(2026, 11, 25, 5, tzinfo=UTC)
    row = dict(id=1, talon="K4D3C77", sequence=1, idempotency_key=None, citizen_user_id=None, locale=None,
               kind="individual", surname=None, name=None, patronymic=None, postal_address="",
               entity_name=None, outgoing_number=None, outgoing_date=None, office_id="ast-1",
               department_id="ast", channel="bot", category="other", text="", status="registered",
               registered_at=at, due_date=date(2026, 12, 10), accepted_by=None, assignee_user_id=None,
               answer_text=None, answered_at=None, updated_at=at, version=0, justified=None)
    row.update(over)
    return c.Complaint(**row)


def test_allowed_actions_follow_status_role_and_scope():
    assert c.allowed_actions(STAFF, stored(), 42) == ("take", "forward")
    assert c.allowed_actions(STAFF, stored(status="in_review", assignee_user_id=42), 42) == (
        "answer", "extend", "forward")
    assert "take" not in c.allowed_actions(STAFF, stored(status="in_review", assignee_user_id=7), 42)
    assert c.allowed_actions(STAFF, stored(status="in_review"), 42)[0] == "take"
    extended = stored(status="in_review", assignee_user_id=42, due_date=date(2026, 12, 25))
    assert c.is_extended(extended) and "extend" not in c.allowed_actions(STAFF, extended, 42)
    assert c.allowed_actions(STAFF, stored(status="answered"), 42) == ("close",)
    assert c.allowed_actions(SUPERVISOR, stored(status="answered"), 5) == ("close", "reopen")
    assert c.allowed_actions(STAFF, stored(status="closed"), 42) == ()
    assert c.allowed_actions(STAFF, stored(office_id="ast-2"), 42) == ()
    assert c.allowed_actions(STAFF, stored(category="rude_service"), 42) == ()
    assert c.allowed_actions([], stored(), 42) == ()


def test_the_form_asks_each_kind_its_own_particulars_in_order():
    from bot.complaints.draft import next_step

    assert next_step({}) == "kind"
    assert next_step({"kind": "individual"}) == "surname"
    # the patronymic is asked ("if any", §24): skipping it stores None, which counts as answered
    person = {"kind": "individual", "surname": "Ким", "name": "Ли"}
    assert next_step(person) == "patronymic"
    assert next_step({**person, "patronymic": None}) == "postal_address"
    legal = {"kind": "legal_entity", "entity_name": "ТОО", "postal_address": "Алматы, Абая 1"}
    assert next_step(legal) == "outgoing_number"
    done = {**legal, "outgoing_number": "12", "outgoing_date": "2026-11-01", "office_id": "alm-06",
            "category": "other", "text": "Текст жалобы."}
    assert next_step(done) == "review"
