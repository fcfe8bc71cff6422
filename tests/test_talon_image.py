"""The talon card: Appendix 4's 75:55 proportions, real ink, and every Kazakh letter drawn (no tofu)."""

import io

import pytest
from PIL import Image, ImageChops

from bot.complaints import talon_image
from bot.complaints.talon_image import BOLD, REGULAR, TalonCard, render, render_png

KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
CARD = TalonCard(
    heading="Шағымды қабылдау туралы талон",
    number="K4D-3C7-7",
    rows=[("Қабылдаған орган", "Алматы қаласының Ішкі істер департаменті"),
          ("Тіркелген күні мен уақыты", "2026 жылғы 25 қараша, 21:24"),
          ("Жауап мерзімі", "2026 жылғы 10 желтоқсан")],
    footer="Барысы: ботта «Менің шағымдарым»",
)


def test_png_has_the_card_proportions_and_ink():
    image = Image.open(io.BytesIO(render_png(CARD)))
    assert image.format == "PNG"
    width, height = image.size
    assert abs(width / height - 75 / 55) < 0.005
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert 0.01 < dark / (width * height) < 0.5


@pytest.mark.parametrize("font_name", [REGULAR, BOLD])
def test_every_kazakh_letter_has_its_own_glyph(font_name):
    font = talon_image._font(font_name, 40)
    tofu = bytes(font.getmask("\ue000"))  # a private-use code point: the font's "missing" box
    seen = set()
    for letter in KAZAKH:
        mask = bytes(font.getmask(letter))
        assert font.getlength(letter) > 0 and any(mask), letter
        assert mask != tofu, f"{letter} renders as the missing-glyph box"
        seen.add(mask)
    assert len(seen) == len(KAZAKH)  # no two letters share a drawing


def test_the_text_is_actually_drawn():
    other = TalonCard(heading=CARD.heading, number="X9T-MPH-4", rows=CARD.rows, footer=CARD.footer)
    assert ImageChops.difference(render(CARD), render(other)).getbbox() is not None


def test_long_text_shrinks_to_fit_instead_of_spilling():
    long_card = TalonCard(heading=CARD.heading, number=CARD.number,
                          rows=[("Мекенжай", "Өте ұзын мекенжай " * 20)] * 3, footer="Соңғы жол")
    image = render(long_card)
    assert image.size == render(CARD).size
    assert not talon_image._fit(long_card)[-1][0].endswith("…")  # it fits once smaller
    bottom = image.crop((0, image.height - 30, image.width, image.height - 9)).convert("L")
    assert bottom.getextrema()[0] > 60  # no text there


def test_text_too_long_for_the_card_is_cut_with_an_ellipsis():
    huge = TalonCard(heading=CARD.heading, number=CARD.number, rows=[("Мәтін", "сөз " * 1500)])
    lines, height = talon_image._layout(huge, 12)
    assert height > talon_image.HEIGHT_PX
    assert talon_image._fit(huge)[-1][0].endswith("…")
    image = render(huge)
    bottom = image.crop((0, image.height - 30, image.width, image.height - 9)).convert("L")
    assert bottom.getextrema()[0] > 60


def test_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(talon_image, "FONT_DIR", tmp_path)
    talon_image._font.cache_clear()
    try:
        with pytest.raises(talon_image.FontMissing, match="data/fonts"):
            talon_image._font(REGULAR, 20)
    finally:
        talon_image._font.cache_clear()
