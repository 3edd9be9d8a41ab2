"""Reading input: which files are specs, YAML with positions, the JSON Schema check, git.

Nothing here knows what a form means; it hands plain data with source positions upward.
"""
