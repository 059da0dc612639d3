import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def reject_markup(value: str) -> None:
    """Text is stored as text: the templates draw bold labels, numbers and line breaks."""
    if value and MARKUP.search(value):
        raise ValidationError(
            _(
                "Type plain text without HTML tags such as <b> or <script>; "
                "use the bold label field for bold text."
            ),
            code="markup",
        )


URL_SCHEMES = ("http", "https")
URL_CHARS = 2000  # as the report data format allows
# Never part of a web address as typed (RFC 3986): spaces, controls, quotes and the brackets of
# markup. A link holding them is markup or a mistake, and could close an attribute it is put in.
NOT_IN_URLS = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')


def validate_evidence_url(value: str) -> None:
    """An evidence link is a web address: http:// or https://, a host, and no markup."""
    message = _(
        "Type a web address that starts with http:// or https://, "
        "without spaces, quotation marks or < >."
    )
    if not value or NOT_IN_URLS.search(value):
        raise ValidationError(message, code="url")
    URLValidator(schemes=URL_SCHEMES, message=message, code="url")(value)
