"""The pack stage: one pack, ``OUT/<bin>/<year>/``, built as render → change sheets → write,
with its manifest (what it is made of and from what) and the change-sheet history.
"""
