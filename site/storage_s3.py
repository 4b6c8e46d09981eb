"""S3 media (S3_BUCKET) with the private part of gongjian_site.storage: keys under
``private/`` stay in the private bucket and their URLs are the private media view.
A module of its own so the embedded default never imports django-storages."""

from storages.backends.s3 import S3Storage

from .storage import is_private_name, private_url


class S3MediaStorage(S3Storage):
    def url(self, name, *args, **kwargs):
        if is_private_name(name):
            return private_url(name)
        return super().url(name, *args, **kwargs)
