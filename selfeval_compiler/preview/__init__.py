"""``selfeval serve``: the forms in a browser, redrawn as their specs are saved."""
