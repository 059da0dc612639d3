"""Whole numbers as people and addresses write them: the one reading of every numeric parameter.

The pages' filters (publication.filters), the API's parameters (api.params) and the staff
downloads all read their numbers here, so they agree on what a number is: Arabic or Thai digits
(``๒๕๖๘`` is 2568), nothing else. ``'²'.isdigit()`` is true and ``int('²')`` fails; ``int()`` also
reads Arabic-Indic and mathematical digits (``٣``, ``𝟚``) that no Thai form ever writes.
"""

import re

INT_MAX = 2**31 - 1  # the largest value of a database integer column (ids, years, versions)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# 20 digits are beyond any database integer; more are refused before int() spends time on them.
DIGITS = re.compile(r"[0-9]{1,20}", re.ASCII)


class NotANumber(ValueError):
    """The text is not a whole number from ``low`` to ``high``."""


def whole_number(text: str, *, low: int, high: int) -> int:
    """The whole number ``text`` writes (spaces around it are ignored), from low to high."""
    digits = str(text).strip().translate(THAI_DIGITS)
    if not DIGITS.fullmatch(digits):  # not "", "1.0", "1e3", "+1", "-1", "²" nor "٣"
        raise NotANumber(text)
    number = int(digits)
    if not low <= number <= high:
        raise NotANumber(text)
    return number
