"""One presentation model per form type: every label, row, column and printed figure, once.

Every output format (HTML, PDF, JSON) and the diff read these models, so a figure prints the
same everywhere.
"""
