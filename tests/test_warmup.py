"""bot.telegram.warmup: the first-use costs are paid at start-up, and start-up runs it before polling."""

from bot.telegram.warmup import warm_up


def test_warm_up_runs():
    warm_up()  # raises if a method, a model or the data it touches went missing


async def test_the_dispatcher_warms_up_on_startup(harness):
    assert any(handler.callback is warm_up for handler in harness.dp.startup.handlers)
