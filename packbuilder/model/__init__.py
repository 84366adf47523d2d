"""The model stage: what a pack is about, with no file or format in sight — the profile
(pydantic models), the catalogue of documents, legal forms, the BIN check digit, the acts a
pack cites, the legal calendar of Kazakhstan, and who is the same person in two profiles.
"""
