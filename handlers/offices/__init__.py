"""The office finder: by region, by name, nearest to a shared location.
"""
