"""Complaints in the bot: the citizen's form and talons, staff work, notices.
"""
