"""The render stage: a profile and the templates → layout blocks. The per-language context,
the template set in Jinja's sandbox (built-in templates overridable by the user's), the
Markdown layout extension and the Kazakh and Russian forms of dates and names.
"""
