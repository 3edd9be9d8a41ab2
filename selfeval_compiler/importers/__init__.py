"""``selfeval import``: published forms (xlsx, xls, text PDF, web page) read back into specs."""
