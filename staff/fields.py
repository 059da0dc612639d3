"""The fields staff type into: Thai dates, amounts in baht, percentages and scores, plain text.

Each takes Thai or Arabic digits, as people type them, and says in Thai what it wants when it
cannot read what was typed; what was typed stays in the field.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from measures import fiscal, thai
from measures.periods import parse_thai_date
from measures.validators import reject_markup


class ThaiDateField(forms.Field):
    """A Buddhist-Era date typed as people type it: ๑ ต.ค. ๒๕๖๗, 1 ตุลาคม 2567, ๑/๑๐/๒๕๖๗."""

    default_error_messages = {
        "invalid": _("Type a Buddhist-Era date, such as ๑ ตุลาคม ๒๕๖๗, 1 ต.ค. 2567 or 1/10/2567."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": "๑ ตุลาคม ๒๕๖๗", "maxlength": 40}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return thai.to_digits(thai.date_full(value))
        return value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if not text:
            return None
        if isinstance(text, datetime.date):
            return text
        day = _iso_date(text[:40]) or parse_thai_date(text[:40])
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _iso_date(text: str) -> datetime.date | None:
    """2025-03-31 as a date input sends it; a Buddhist-Era year typed that way (2568-03-31) too."""
    match = ISO_DATE.match(thai.to_digits(text, thai.ARABIC))
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(fiscal.ce_year(year) if year > 2400 else year, month, day)
    except ValueError:
        return None


class BahtField(forms.Field):
    """An amount in baht as people type it: ๒๕,๐๐๐ or 25,000.50 or 25000 บาท."""

    MAX = Decimal("999999999999.99")
    AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
    default_error_messages = {
        "invalid": _("Type an amount in baht, such as ๒๕,๐๐๐ or 25,000.50, or leave it empty."),
        "too_large": _("The amount is too large: check the digits."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            # No placeholder: an example amount in the field reads as an amount already there.
            forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 30}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            amount = Decimal(str(value))
            text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
            return thai.to_digits(text)
        return value

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        text = thai.to_digits(str(value or "")[:30], thai.ARABIC)
        text = re.sub(r"\s+", "", text).removesuffix("บาท").removesuffix(".-")
        if not text:
            return None
        if not self.AMOUNT.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount > self.MAX:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


class TextLengthValidator(validators.MaxLengthValidator):
    """At most ``limit_value`` characters, said in the page's language with its digits
    (Django's Thai catalogue has no Thai for its own message, which showed in English)."""

    message = _("Too long: at most %(limit)s characters (you typed %(count)s).")

    def __call__(self, value):
        count = self.clean(value)
        if self.compare(count, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit": thai.ui_number(self.limit_value), "count": thai.ui_number(count)},
            )


def explain_length(field: forms.CharField) -> forms.CharField:
    """Give a text field the length message above, and let the browser take whatever is typed
    or pasted: ``maxlength`` would cut a long paste without a word; static/js/site.js counts
    the characters against ``data-maxlength`` instead and warns before saving."""
    if field.max_length is None:
        return field
    field.validators = [
        v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
    ] + [TextLengthValidator(field.max_length)]
    attrs = field.widget.attrs
    attrs.pop("maxlength", None)
    attrs["data-maxlength"] = field.max_length
    # The counter's words and digits, in the page's language (no script holds any text).
    attrs["data-left"] = _("%(count)s characters left")
    attrs["data-over"] = _("%(count)s characters too many: shorten the text to save it")
    attrs["data-digits"] = ui_digit_system
    return field


class _DigitSystem:
    """ "thai" or "arabic": the digits of the page's language, when the widget is drawn."""

    def __str__(self):
        return thai.THAI if thai.ui_is_thai() else thai.ARABIC


ui_digit_system = _DigitSystem()


class PlainTextField(forms.CharField):
    default_validators = [reject_markup]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        explain_length(self)


class PercentField(forms.Field):
    """A whole percentage from 0 to 100: ๖๐, 60 or 60 %."""

    default_error_messages = {
        "invalid": _("Type a whole percentage from 0 to 100, such as ๖๐ or 60."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6, "size": 4})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, int):
            return value
        text = re.sub(r"\s+", "", thai.to_digits(str(value or "")[:10], thai.ARABIC))
        text = text.removesuffix("%")
        if not text:
            return None
        if not re.fullmatch(r"\d{1,3}", text) or int(text) > 100:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class ScoreField(forms.Field):
    """An ITA score from 0 to 100, to two decimals: ๙๒.๑๐ or 92.10."""

    default_error_messages = {
        "invalid": _("Type a score from 0 to 100, such as ๙๒.๑๐ or 92.10."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 10, "size": 6})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return str(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        text = re.sub(r"\s+", "", thai.to_digits(str(value or "")[:20], thai.ARABIC))
        if not text:
            return None
        if not re.fullmatch(r"\d{1,3}(\.\d+)?", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        score = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if score > 100:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return score
