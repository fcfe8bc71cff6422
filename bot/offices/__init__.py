"""The office directory of Appendix 1: loading, search by name, nearest, checks, place names.

Pure domain: no aiogram, no storage; reads only data/offices.json.
"""
