"""/private-media/<name>: files of private collections, served after the privacy check
(see mediafiles.py). Included by the site's URLs from ``AccessConfig.url_includes``."""

from django.urls import path

from .mediafiles import serve_private_media

urlpatterns = [path("<path:name>", serve_private_media, name="private_media")]
