"""The complaint talon as a picture the citizen can keep: Appendix 4's 75×55 mm card, drawn with Pillow.

The caller passes every string already translated (gettext lives in the handlers); this module only
lays them out. Text is drawn with the DejaVu Sans shipped in data/fonts (Pillow's default font has no
Cyrillic, and the system's fonts are not ours to rely on), which covers every Kazakh letter.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot import DATA_DIR

if TYPE_CHECKING:  # Pillow is imported when a card is first drawn: most processes never draw one
    from PIL import Image, ImageFont

FONT_DIR = DATA_DIR / "fonts"
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
CARD_MM = (75, 55)  # Appendix 4: «өлшемі 75мм x 55мм»
WIDTH_PX = 900  # 75 mm at about 305 dpi; the height follows from the proportions
HEIGHT_PX = WIDTH_PX * CARD_MM[1] // CARD_MM[0]
MARGIN = 36
MIN_SIZE, MAX_SIZE = 12, 30  # base font sizes in pixels
INK = (20, 24, 33)
MUTED = (92, 99, 112)
ACCENT = (17, 82, 147)
PAPER = (255, 255, 255)
QR_PX = 210  # the QR code's side with its quiet zone: about 18 mm, scanned easily from a screen or paper
QR_GAP = 24
QR_BORDER = 2  # modules of quiet zone; the card's white paper around it adds the rest


@dataclass(frozen=True)
class TalonCard:
    """What the card says, in the citizen's language: a heading, the talon number, labelled rows;
    and the link that opens the complaint in the bot, drawn as a QR code."""

    heading: str
    number: str
    rows: Sequence[tuple[str, str]]
    footer: str = ""
    link: str = ""  # drawn as a QR code in the top right corner when given


class FontMissing(RuntimeError):
    """The shipped font is not where it should be (a broken checkout)."""


@lru_cache(maxsize=32)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path: Path = FONT_DIR / name
    if not path.is_file():
        raise FontMissing(f"{path} is missing: the talon image needs the DejaVu fonts shipped in data/fonts")
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap by measured width; a word longer than the line is cut by characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while font.getlength(word) > width:
                cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _layout(card: TalonCard, size: int) -> tuple[list[tuple[str, int, str, tuple[int, int, int]]], int]:
    """Lines as (text, font size, font file, colour) and the total height at base size `size`."""
    inner = WIDTH_PX - 2 * MARGIN
    beside_qr = inner - QR_PX - QR_GAP if card.link else inner
    out: list[tuple[str, int, str, tuple[int, int, int]]] = []
    y = MARGIN

    def add(text: str, font_size: int, font_name: str, colour: tuple[int, int, int]) -> None:
        """A text item wraps beside the QR code when it starts beside it, else across the card."""
        nonlocal y
        font = _font(font_name, font_size)
        width = beside_qr if y < MARGIN + QR_PX else inner
        for line in _wrap(text, font, width):
            out.append((line, font_size, font_name, colour))
            y += round(font_size * 1.25)

    label_size = size - 4
    add(card.heading, size + 2, BOLD, INK)
    add(card.number, size * 2 + 8, BOLD, ACCENT)
    for label, value in card.rows:
        add(label, label_size, REGULAR, MUTED)
        add(value, size, REGULAR, INK)
    if card.footer:
        add(card.footer, label_size, REGULAR, MUTED)
    return out, y + MARGIN


def _fit(card: TalonCard) -> list[tuple[str, int, str, tuple[int, int, int]]]:
    """The lines at the largest size that fits; at the smallest size, the overflow is cut with "…"."""
    low, high = MIN_SIZE, MAX_SIZE  # the largest size that fits, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if _layout(card, middle)[1] <= HEIGHT_PX:
            low = middle
        else:
            high = middle - 1
    lines, height = _layout(card, low)
    while height > HEIGHT_PX:
        removed = lines.pop()
        height -= round(removed[1] * 1.25)
        text, font_size, font_name, colour = lines[-1]
        lines[-1] = (text.rstrip(" .,…") + "…", font_size, font_name, colour)
    return lines


def render(card: TalonCard) -> Image.Image:
    """The card as an RGB image of 75:55 proportions."""
    lines = _fit(card)
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH_PX, HEIGHT_PX), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, WIDTH_PX - 7, HEIGHT_PX - 7), outline=MUTED, width=3)
    y = MARGIN
    for text, font_size, font_name, colour in lines:
        draw.text((MARGIN, y), text, font=_font(font_name, font_size), fill=colour)
        y += round(font_size * 1.25)
    if card.link:
        _draw_qr(draw, card.link)
    return image


@lru_cache(maxsize=32)
def qr_modules(link: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of `link` as rows of dark (True) and light modules, quiet zone included."""
    import segno

    code = segno.make(link, error="m", micro=False)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix_iter(scale=1, border=QR_BORDER))


def qr_box(link: str) -> tuple[int, int, int]:
    """Where the QR code is drawn: (left, top, module size in pixels), in the top right corner."""
    count = len(qr_modules(link))
    size = QR_PX // count
    return WIDTH_PX - MARGIN - size * count, MARGIN, size


def _draw_qr(draw, link: str) -> None:
    left, top, size = qr_box(link)
    for r, row in enumerate(qr_modules(link)):
        for c, dark in enumerate(row):
            if dark:
                x, y = left + c * size, top + r * size
                draw.rectangle((x, y, x + size - 1, y + size - 1), fill=(0, 0, 0))


def render_png(card: TalonCard) -> bytes:
    """The card as PNG bytes, ready to send as a photo or a document."""
    buffer = io.BytesIO()
    render(card).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
