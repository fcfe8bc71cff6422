"""After the documents are handed in (§14): the record, the §7.1 reminder (§15) and the survey (§18).
"""
