"""Cells for every spreadsheet (and CSV) the project writes: safe to open, never a 500.

Exports carry what anonymous visitors typed (registrations, needs) and what editors
typed (titles, names). Two things can go wrong with such text:

- **Formula injection** (OWASP "CSV Injection"): a cell starting with ``=``, ``+``,
  ``-`` or ``@`` (or a tab or carriage return before one) is run by the spreadsheet as
  a formula: ``=HYPERLINK("http://…","点击核对")`` becomes a live link in a moderator's
  Excel; openpyxl even writes such a string as a formula. OWASP's remedy is to prefix
  the cell with a single quote, which every spreadsheet program shows as text, also
  after the file is re-saved as CSV. Numbers and dates are never touched.
- **Characters no xlsx may hold**: openpyxl raises ``IllegalCharacterError`` on control
  characters. ``gongjian_site.textinput.strip_control_characters`` removes them here
  too, so whatever is stored, however it got there, the export works.

Excel also keeps at most 32,767 characters in a cell and reports a longer one as a
damaged file; longer text is cut there.

Use ``safe_cell`` for each value (or ``safe_row`` for a row) just before writing.
"""

from django.utils.functional import Promise

from .textinput import strip_control_characters

#: What a spreadsheet reads as the start of a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on the characters of one cell.
MAX_CELL_LENGTH = 32767


def safe_text(text):
    """``text`` as it may go into a cell: no control characters, no formula, not too long."""
    # Stripped first, then checked: "\x01=1+1" loses its control character and is
    # then seen as the formula it is (tab and CR survive the stripping and count).
    text = strip_control_characters(text)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text[:MAX_CELL_LENGTH]


def safe_cell(value):
    """A cell value: strings made safe by ``safe_text``; numbers, dates, None as they are."""
    if isinstance(value, str | Promise):  # a lazy translation is text too
        return safe_text(str(value))
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
