from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the user chose another language with the switcher (its cookie).

    Django's own middleware follows the browser's Accept-Language, which would show many
    Thai officials, whose computers are set up in English, an English portal.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = dict(settings.LANGUAGES)
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The policy on every response but a PDF: browsers show a PDF in a viewer of their own,
    which a page's policy (object-src 'none', no inline style) leaves blank."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
