"""Complaints (§20–§25): terms, validation, who may do what, talons, and the use cases.

Pure domain: no aiogram; the use cases reach storage only through the repository passed in.
"""
