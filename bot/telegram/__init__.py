"""Telegram plumbing: middlewares, retry, the outbox worker, warm-up and small UI helpers.
"""
