"""Storage: the only package that speaks SQL; one module per aggregate.
"""
