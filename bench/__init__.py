"""The benchmark: `python -m bench` (full table) and `python -m bench --quick` (under a minute).

Everything runs on the project's fake Telegram (bot.testing), on this machine, with no network.
Each module measures one thing and returns a dict of result keys; bench.__main__ runs them in one
process (the memory figure in a child process) and writes bench/results.json.
"""
