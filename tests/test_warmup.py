"""bot.telegram.warmup: the first-use costs are paid at start-up, and start-up runs it before polling."""

import gc
import weakref

import pytest
from aiogram.methods import Response

from bot.telegram.warmup import METHODS, warm_up


def test_warm_up_runs():
    warm_up()  # raises if a method, a model or the data it touches went missing


async def test_the_dispatcher_warms_up_on_startup(harness):
    assert any(handler.callback is warm_up for handler in harness.dp.startup.handlers)


# aiogram parses every reply as `Response[<return type>]`, a pydantic generic cached by a weak reference
# only: unless the start-up holds them, each is collected and rebuilt over and over (~8% of a press).
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
def test_reply_types_built_at_start_outlive_a_collection(method) -> None:
    warm_up()
    built = weakref.ref(Response[method.__returning__])
    gc.collect()
    assert built() is not None, f"Response[{method.__name__}] was collected: aiogram rebuilds it per reply"
