"""The service standard as data and what follows from it: the ruleset, eligibility, fee, hours.

Pure domain: no aiogram, no storage; reads only its own data files.
"""
