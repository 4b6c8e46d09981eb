"""gunicorn settings the project's servers load (``--config python:gongjian_site.gunicorn_conf``).

With ``--preload`` the master loads the application and warms it up once
(``gongjian_site.warmup.warm_up``). A worker forked from it still paid about three
times a warm request on its first reader (issue 19): its own database and cache
connections, and the copy-on-write pages of everything the master had touched. Each
worker therefore serves each site's home page to itself before it accepts a request.
"""


def post_worker_init(worker):
    from gongjian_site.warmup import warm_worker

    warm_worker(worker.wsgi)
