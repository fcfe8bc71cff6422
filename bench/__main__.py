"""`python -m bench [--quick]`: every measurement in one run, a table on stdout, bench/results.json.

--quick keeps the whole run near a minute and a half once the SQLite million-complaint database is
cached in var/bench/ (the first run builds it; the throwaway PostgreSQL is filled anew each run); the
full run feeds more updates for steadier numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import http, inprocess, memory, nearest, pg_tickets, tickets, webhook

RESULTS = Path(__file__).resolve().parent / "results.json"

# key: (target, "min" when the value must be at least the target, "max" when at most, unit)
TARGETS: dict[str, tuple[float, str]] = {
    "step_ratio_vs_floor": (0.5, "min"),
    "http_p95_ms": (250.0, "max"),
    "webhook_p95_ms": (250.0, "max"),
    "rss_mb_10k_conversations": (200.0, "max"),
    "nearest_ms_p99": (1.0, "max"),
    "nearest_growth_vs_linear": (1.0, "max"),
    "ticket_lookup_ms": (5.0, "max"),
    "pg_ticket_lookup_ms": (5.0, "max"),
}

SIZES = {
    "quick": {"step": 900, "rounds": 2, "http_s": 6.0, "webhook_s": 10.0, "fed": 100, "nearest": 1000,
              "lookups": 2000, "registrations": 100},
    "full": {"step": 3000, "rounds": 3, "http_s": 30.0, "webhook_s": 30.0, "fed": 10_000, "nearest": 5000,
             "lookups": 20_000, "registrations": 500},
}


class ErrorCounter(logging.Handler):
    """Counts the bot's error log lines (a handler failed) instead of printing thousands of them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def measure(size: dict[str, Any], workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    floors, floors_ok, steps, failed = [], [], [], []
    for round_ in range(size["rounds"]):  # interleaved, best of each: all see the same machine load
        stream = inprocess.Stream()
        steps.append(await inprocess.step_updates_per_s(size["step"], workdir / f"step-{round_}", stream))
        per_s, floor_failed = await inprocess.floor_updates_per_s(stream)
        floors.append(per_s)
        failed.append(floor_failed + stream.failed_calls)
        floors_ok.append(await inprocess.floor_ok_updates_per_s(stream))
    results["floor_updates_per_s"] = round(max(floors), 1)
    results["floor_ok_updates_per_s"] = round(max(floors_ok), 1)
    results["step_updates_per_s"] = round(max(steps), 1)
    results["step_ratio_vs_floor"] = round(max(steps) / max(floors), 3)
    results["floor_bot_api_calls_per_update"] = round(
        sum(len(calls) for calls in stream.calls.values()) / len(stream.updates), 2)
    results["floor_and_step_failed_calls"] = sum(failed)
    lap("floor_and_step")
    results |= await http.run(workdir, duration_s=size["http_s"], offered_per_s=100, citizens=60)
    lap("http")
    results |= await webhook.run(workdir, duration_s=size["webhook_s"], offered_per_s=100)
    lap("webhook")
    results |= memory.measure(10_000, size["fed"], workdir)
    lap("memory")
    results |= nearest.run(size["nearest"])
    lap("nearest")
    results |= await tickets.run(workdir, size=1_000_000, lookups=size["lookups"],
                                 registrations=size["registrations"])
    lap("tickets")
    results |= await pg_tickets.run(size=1_000_000, lookups=size["lookups"])
    lap("pg_tickets")
    results["seconds_by_part"] = seconds
    return results


def verdict(key: str, value: Any) -> str:
    if key not in TARGETS or value is None:
        return ""
    target, sense = TARGETS[key]
    ok = value >= target if sense == "min" else value <= target
    return f"{'≥' if sense == 'min' else '≤'} {target:g}  {'ok' if ok else 'MISSED'}"


def table(results: dict[str, Any]) -> str:
    width = max(len(k) for k in results)
    lines = [f"{'key'.ljust(width)}  {'value':>12}  target"]
    for key, value in results.items():
        if isinstance(value, dict):
            continue
        lines.append(f"{key.ljust(width)}  {value!s:>12}  {verdict(key, value)}")
    for key, value in results.items():
        if isinstance(value, dict):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "cpu": _cpu_model(), "load_1min_at_start": os.getloadavg()[0]}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute and a half")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    started = time.perf_counter()
    info = machine()
    errors = ErrorCounter()
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger().addHandler(errors)
    with tempfile.TemporaryDirectory(prefix="pmzh-bench-") as folder:
        results = asyncio.run(measure(SIZES[mode], Path(folder)))
    results["handler_errors_logged"] = errors.count
    results["mode"] = mode
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results["machine"] = info | {"load_1min_at_end": os.getloadavg()[0]}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    missed = [k for k in TARGETS if k in results and verdict(k, results[k]).endswith("MISSED")]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
