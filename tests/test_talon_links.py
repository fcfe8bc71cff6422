"""The talon opens its complaint in one tap: a t.me deep link in its text, a QR code of that link on
its picture, a button that copies the number; /start with the link's payload shows the complaint to
whoever may see it, and to nobody else."""

import io

import pytest
from dialogue_support import tr
from PIL import Image
from test_complaints_bot import KK, RU, WAIT, file_individual, grant, talon_in

from bot.complaints import talon
from bot.complaints.talon_image import qr_box, qr_modules

LANGS = ("kk", "ru")
BOT_USERNAME = "pmzh_test_bot"  # the fake Telegram's getMe
WELCOME = ("Hello! I help you prepare to apply for documents for leaving Kazakhstan for permanent "
           "residence.\n\n"
           "I check your situation against the service standard, list the documents, compute the state fee "
           "and find the office where you apply. This is a pre-check, not a decision: the decision is made "
           "by the migration service.")
NO_SUCH = {"kk": KK["no_such"], "ru": RU["no_such"]}


def link_of(compact: str) -> str:
    return f"https://t.me/{BOT_USERNAME}?start=t-{compact}"


async def filed_talon(harness, lang):
    user = harness.user(lang)
    filed = await file_individual(user, lang, category=WAIT[lang])  # seen by the office's staff
    shown = talon_in(filed.text)
    return user, filed, shown, talon.parse(shown)


@pytest.mark.parametrize("lang", LANGS)
async def test_the_talon_carries_its_link_a_qr_code_and_a_copy_button(harness, lang):
    user, filed, shown, compact = await filed_talon(harness, lang)
    message = next(m for m in filed.messages if m.kind == "text" and shown in m.text)
    assert tr(lang, "Link to this complaint: {link}", link=link_of(compact)) in message.text
    copy = message.button(tr(lang, "📋 Copy the talon number"))
    assert copy == {"text": tr(lang, "📋 Copy the talon number"), "copy_text": {"text": shown}}

    photo = [call for call in harness.fake.calls if call.method == "sendPhoto"][-1]
    image = Image.open(io.BytesIO(next(iter(photo.files.values())))).convert("L")
    left, top, size = qr_box(link_of(compact))
    drawn = [[image.getpixel((left + c * size + size // 2, top + r * size + size // 2)) < 128
              for c in range(len(row))] for r, row in enumerate(qr_modules(link_of(compact)))]
    assert drawn == [list(row) for row in qr_modules(link_of(compact))]  # the QR code holds the link


@pytest.mark.parametrize("lang", LANGS)
async def test_the_link_opens_the_complaint_for_its_owner_and_for_staff_who_may_see_it(harness, lang):
    user, _filed, shown, compact = await filed_talon(harness, lang)
    row = await harness.db.complaints.by_talon(compact)
    mine = await user.send(f"/start t-{compact}")
    assert tr(lang, "Complaint {talon}", talon=shown) in mine.text
    assert tr(lang, WELCOME) not in mine.text

    await grant(harness, 950, "office_staff", row.office_id, "Тестов Т.")
    staff = harness.user(lang, user_id=950)
    seen = await staff.send(f"/start t-{compact}")
    assert tr(lang, "Complaint {talon}", talon=shown) in seen.text
    assert any(tr(lang, "🙋 Take it") in b for b in seen.buttons)


@pytest.mark.parametrize("lang", LANGS)
async def test_the_link_tells_anyone_else_what_a_wrong_number_tells(harness, lang):
    _user, _filed, shown, compact = await filed_talon(harness, lang)
    stranger = harness.user(lang)
    by_link = await stranger.send(f"/start t-{compact}")
    by_number = await stranger.send(f"/ticket {shown}")
    assert NO_SUCH[lang] in by_link.text and by_link.text == by_number.text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("payload", ["hello", "t-K4D3C7", "t-K4D3C78", "t-"])
async def test_an_unknown_payload_just_starts(harness, lang, payload):
    user = harness.user(lang)
    reply = await user.send(f"/start {payload}")
    assert tr(lang, WELCOME) in reply.text
