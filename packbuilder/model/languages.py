"""The languages of a pack, in the order their folders and columns come: Kazakh, Russian.
A module of its own so that the command line can offer them without importing the profile
model (pydantic)."""

from __future__ import annotations

LANGUAGES = ("kk", "ru")
