"""bot.telegram.markup: the one place where text becomes Telegram HTML."""

from bot.telegram.markup import bold, italic, plain
from bot.testing.html import html_to_text


def test_text_is_escaped_once_and_reads_back_as_typed():
    typed = "ул. <Абая> & «Достык» 5"
    for render in (plain, bold, italic):
        assert html_to_text(render(typed)) == typed
    assert bold("a<b") == "<b>a&lt;b</b>" and italic("x&y") == "<i>x&amp;y</i>"
    assert plain(plain("<")) == "&amp;lt;"  # escaping is not idempotent: call it once, here
