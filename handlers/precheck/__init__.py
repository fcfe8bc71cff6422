"""The pre-check dialogue (§6, §11, §16): router, screens, keyboards.
"""
