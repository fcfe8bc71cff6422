"""After the visit: the decision's due date (§7), the survey and the Appendix 3 indicators.

Pure domain: no aiogram, no storage.
"""
