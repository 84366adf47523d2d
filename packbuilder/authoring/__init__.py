"""Authoring, on top of the pipeline: checking a folder of the user's templates (Markdown
or Word), exporting the built-in ones with a guide to every variable, and the kk/ru parity
of a built pack.
"""
