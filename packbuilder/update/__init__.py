"""The update stage, on top of :mod:`packbuilder.pack`: next year's pack from last year's —
the old pack verified, the new one rendered, compared with the old files, written with the
change sheets carried over and the change report.
"""
