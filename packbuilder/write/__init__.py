"""The write stage: layout blocks → files. The official layout as values, the XML layer
(WordprocessingML built and escaped in one place), the .docx and .xlsx writers, a user's
Word template through docxtpl, reproducible zip packages, PDF through LibreOffice, and the
text of a written file.
"""
