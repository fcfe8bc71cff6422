"""The webhook benchmark (bench/webhook.py) runs end to end with tiny numbers; its figures are not judged
here (a shared machine's timings say nothing), only that every offered update was handled, once, by the
two replicas, without errors, and that without the servers it says why it skipped."""

from __future__ import annotations

import os

import pytest

from bench import webhook

SERVERS = ("BENCH_POSTGRES_URL", "TEST_POSTGRES_URL", "BENCH_REDIS_URL", "TEST_REDIS_URL")


async def test_without_the_servers_the_figure_is_skipped_naming_what_is_missing(monkeypatch, tmp_path):
    for name in SERVERS:
        monkeypatch.delenv(name, raising=False)
    results = await webhook.run(tmp_path, duration_s=1, offered_per_s=10)
    assert results["webhook_p95_ms"] is None
    assert "no PostgreSQL and Redis" in results["webhook_skipped"]
    monkeypatch.setenv("TEST_POSTGRES_URL", "postgresql://nobody@127.0.0.1:1/none")
    results = await webhook.run(tmp_path, duration_s=1, offered_per_s=10)
    assert "no Redis" in results["webhook_skipped"] and "PostgreSQL" not in results["webhook_skipped"]
    assert not (tmp_path / "webhook").exists()  # nothing was started


@pytest.mark.skipif(not (os.environ.get("TEST_POSTGRES_URL") and os.environ.get("TEST_REDIS_URL")),
                    reason="TEST_POSTGRES_URL / TEST_REDIS_URL unset: run under tools/test_servers.sh")
async def test_two_replicas_handle_every_offered_update(tmp_path):
    results = await webhook.run(tmp_path, duration_s=1, offered_per_s=10)
    assert results["webhook_updates"] == 10
    assert sum(results["webhook_mix"].values()) == 10 and results["webhook_mix"]["/start"] >= 1
    assert results["webhook_handled_by_replica"] == [5, 5]  # each POST to the next replica in turn
    assert results["webhook_failed_posts"] == 0
    assert results["webhook_handler_errors"] == 0
    assert results["webhook_unanswered_presses"] == 0
    assert results["webhook_throttled"] == 0
    assert results["webhook_p50_ms"] <= results["webhook_p95_ms"] <= results["webhook_p99_ms"]
    assert results["webhook_visitors"] >= 1
