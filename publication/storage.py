"""A stored file read for a download, wherever the default storage keeps it.

On this server's disk (FileSystemStorage), Django's own file. In an object store
(django-storages' S3Storage, settings.AWS_STORAGE_BUCKET_NAME), the object's body as the store
sends it, chunk by chunk: S3File would first copy it whole into memory or a temporary file.
Or not read at all: the store's signed address, for a redirect (settings.DOWNLOADS_REDIRECT).
"""

from django.core.files.storage import default_storage


class StoreUnavailable(OSError):
    """The object store did not answer, or refused: the download is unavailable for now."""


def stored_open(name: str):
    """A readable file of the stored file ``name``, to be closed by the reader.

    FileNotFoundError if the storage lost it, StoreUnavailable if the store cannot be reached:
    both OSError, which a download answers with 503.
    """
    try:
        handle = default_storage.open(name, "rb")
        s3_object = getattr(handle, "obj", None)  # an S3File: its body, not a copy of it
        return handle if s3_object is None else s3_object.get()["Body"]
    except Exception as error:  # botocore's errors (the store down, refusing) are not OSError
        if isinstance(error, OSError) or not _from_object_store(error):
            raise
        raise StoreUnavailable(str(error)) from error


def stored_size(file) -> int | None:
    """The size of a version's stored file (a FieldFile; 0 while it is not stored yet), or None
    when the storage lost it or the object store cannot be reached."""
    if not file:
        return 0
    try:
        return file.size
    except Exception as error:
        if isinstance(error, OSError) or _from_object_store(error):
            return None
        raise


def stored_url(name: str, *, content_type: str, disposition: str) -> str:
    """The object store's signed address of ``name``, valid AWS_QUERYSTRING_EXPIRE seconds,
    which answers with the portal's content type and file name."""
    return default_storage.url(
        name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        },
    )


def _from_object_store(error: Exception) -> bool:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # django-storages' S3 backend is not installed: no object store
        return False
    return isinstance(error, BotoCoreError | ClientError)
