"""Chinese archive search (segmentation, indexing, query API, backends, views).

Empty in the foundation: the search issue fills it. The project already selects
the backend from ``SEARCH_BACKEND`` (``database`` by default, ``elasticsearch``
with ``ELASTICSEARCH_URL``) in ``gongjian_site.settings.base``.
"""
