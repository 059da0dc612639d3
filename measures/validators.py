import re

from django.core.exceptions import ValidationError
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
