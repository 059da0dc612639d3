"""The static files' storage: the same whatever DEBUG said, so that `collectstatic` always writes
the hashed, compressed copies and the manifest that production serves (run with DEBUG=true it
once wrote none, and every page of the production server then answered 500)."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed files, named by their manifest; but while WhiteNoise
    serves them straight from the app folders (WHITENOISE_USE_FINDERS: development and the tests,
    where no collectstatic ran and there is no manifest), by their own names."""

    def stored_name(self, name):
        if settings.WHITENOISE_USE_FINDERS:
            return name
        return super().stored_name(name)
