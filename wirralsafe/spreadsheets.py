"""What every spreadsheet and CSV the app writes must do with text that came from users."""

# OWASP's CSV-injection list: a cell starting with one of these may be run as a formula by
# Excel or LibreOffice, in an .xlsx as much as in a .csv.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_formula(value):
    """Text that a spreadsheet could take for a formula gets a leading apostrophe.

    Numbers, dates and None pass through untouched: only text is ever a risk, and numbers must
    stay numbers so that they can be summed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
