"""Page-serving benchmark: `make bench-pages` (not part of `make test`).

In one run, on this machine, each under gunicorn with 2 sync workers and DEBUG off:
  * every public page kind of the demo (home, district, street, community, unit, grid,
    activity list and detail, case list and detail, compilation, board, statistics,
    search with a common and a rare word) with the anonymous page cache off;
  * the same pages with the page cache on (local memory per worker, or Redis when
    REDIS_URL is set; search is never cached, so its "cached" row measures the same);
  * stock Wagtail's default home page: a project made by `wagtail start` in a temp
    folder, migrated, served the same way;
  * the home page's first request on a freshly started server against its warm
    requests (start-up work left to the first reader), for Gongjian and stock Wagtail.
Gongjian runs with --preload, as scripts/run-prod.sh does; the uncached rows keep
the rendered parts of pages (gongjian_site.fragments), as production does.
Each target is loaded by the same client (threads opening a connection per request,
as gunicorn's sync workers close them) for the same time; the table gives requests/s,
mean latency and the ratio to stock Wagtail.
"""

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, cwd):
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


class Server:
    def __init__(self, app, env, cwd, workers=2, preload=False):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), app, "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning",
             # Gongjian as run-prod.sh starts it: preloaded, each worker warmed up
             *(["--preload", "--config", "python:gongjian_site.gunicorn_conf"]
               if preload else [])],
            env=env, cwd=cwd,
        )  # fmt: skip

    def wait_listening(self, timeout=120):
        """Until the port accepts connections, without sending a request (which would
        be the first one)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(1)  # let the worker fork and boot
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server on {self.port} did not listen")

    def wait(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, path)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server on {self.port} did not answer {path}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheader("X-Page-Cache") or body[:0]
    finally:
        conn.close()


def load(port, path, seconds, threads):
    """Requests/s and mean latency (ms) of `threads` clients hammering `path`."""
    counts, latencies, errors = [0] * threads, [0.0] * threads, [0] * threads
    stop = time.monotonic() + seconds

    def worker(i):
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _ = get(port, path)
            latencies[i] += time.perf_counter() - started
            if status == 200:
                counts[i] += 1
            else:
                errors[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    began = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - began
    total = sum(counts)
    if sum(errors):
        print(f"  warning: {sum(errors)} non-200 answers on {path}", file=sys.stderr)
    return total / elapsed, 1000 * sum(latencies) / max(total + sum(errors), 1)


def first_and_warm(app, env, cwd, path, trials=3):
    """(first, warm) latency in ms of ``path`` on freshly started one-worker servers,
    loaded with ``--preload`` as run-prod.sh does (so start-up is done before the port
    listens, and the first request pays only what is left to it): the median over
    ``trials`` starts of the first request, and of the next requests' medians."""
    runs = [_first_and_warm(app, env, cwd, path) for _ in range(trials)]
    return tuple(sorted(values)[len(values) // 2] for values in zip(*runs, strict=True))


def _first_and_warm(app, env, cwd, path, warm=30):
    server = Server(app, env, cwd, workers=1, preload=True)
    try:
        server.wait_listening()
        started = time.perf_counter()
        status, _ = get(server.port, path)
        first = 1000 * (time.perf_counter() - started)
        if status != 200:
            print(f"  warning: first request answered {status}", file=sys.stderr)
        times = []
        for _ in range(warm):
            started = time.perf_counter()
            get(server.port, path)
            times.append(1000 * (time.perf_counter() - started))
        return first, sorted(times)[len(times) // 2]
    finally:
        server.stop()


def gongjian_env(tmp, cache_seconds):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gongjian_site.settings.dev",
        DEBUG="false",
        SECRET_KEY="bench-only-not-secret-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'gongjian.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        PAGE_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="ERROR",
    )
    return env


#: How the bench finds one page of each kind in the demo (run in `manage.py shell`).
FIND_PAGES = """
from urllib.parse import quote
from plugins.orgs.models import (CityPage, DistrictPage, StreetPage, CommunityPage,
    ResidentUnitPage, GridBranchPage)
from plugins.activities.models import ActivityIndexPage, ActivityPage
from plugins.cases.models import CaseIndexPage, CasePage
from plugins.compilations.models import CompilationPage
def first(model, **kw):
    return model.objects.live().filter(**kw).order_by("path").first().url
community = CommunityPage.objects.get(slug="xingfuli")
rows = [
    ("home", first(CityPage)),
    ("district", first(DistrictPage)),
    ("street", first(StreetPage)),
    ("community", community.url),
    ("unit", first(ResidentUnitPage)),
    ("grid", first(GridBranchPage)),
    ("activity list", first(ActivityIndexPage)),
    ("activity", first(ActivityPage)),
    ("case list", first(CaseIndexPage)),
    ("case", first(CasePage)),
    ("compilation", first(CompilationPage)),
    ("board", "/gongshi/%s/" % community.slug),
    ("statistics", "/evaluation/statistics/"),
    ("search, common word", "/search/?q=" + quote("党建")),
    ("search, rare word", "/search/?q=" + quote("义诊")),
]
for name, url in rows:
    print("PAGE\t%s\t%s" % (name, url))
"""


def prepare_gongjian(tmp):
    env = gongjian_env(tmp, 0)
    (tmp / "static").mkdir(exist_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput"], env, ROOT)
    run([*manage, "load_demo"], env, ROOT)
    output = subprocess.run(
        [*manage, "shell", "-c", FIND_PAGES], env=env, cwd=ROOT, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [
        tuple(line.split("\t")[1:]) for line in output.splitlines() if line.startswith("PAGE\t")
    ]


def prepare_stock(tmp):
    """A stock Wagtail project (`wagtail start`), DEBUG off, its own SQLite file."""
    project = tmp / "stock"
    project.mkdir()
    run([str(BIN / "wagtail"), "start", "stocksite", str(project)], dict(os.environ), tmp)
    # The stock project's `search` app shares its name with Gongjian's `search` package
    # (installed in this venv), so the bench settings leave it out, with its URL.
    (project / "stocksite" / "bench_urls.py").write_text(
        "from django.urls import include, path\n"
        "from wagtail import urls as wagtail_urls\n"
        "from wagtail.admin import urls as wagtailadmin_urls\n"
        "urlpatterns = [path('admin/', include(wagtailadmin_urls)),"
        " path('', include(wagtail_urls))]\n"
    )
    (project / "stocksite" / "settings" / "bench.py").write_text(
        "from .base import *  # noqa\n"
        "INSTALLED_APPS = [app for app in INSTALLED_APPS if app != 'search']  # noqa\n"
        "ROOT_URLCONF = 'stocksite.bench_urls'\n"
        "DEBUG = False\n"
        "SECRET_KEY = 'bench-only'\n"
        "ALLOWED_HOSTS = ['*']\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', "
        f"'NAME': {str(tmp / 'stock.sqlite3')!r}}}}}\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="stocksite.settings.bench")
    env.pop("DATABASE_URL", None)
    run([sys.executable, "manage.py", "migrate", "--noinput"], env, project)
    return project, env


def measure(label, server, path, seconds, threads, rows, expect_cache=None):
    server.wait(path)
    for _ in range(20):  # warm both workers (and the cache, when on)
        get(server.port, path)
    if expect_cache:
        _, state = get(server.port, path)
        if state != expect_cache:
            print(f"  warning: {label}: X-Page-Cache is {state!r}", file=sys.stderr)
    rate, latency = load(server.port, path, seconds, threads)
    rows.append((label, rate, latency))
    print(f"  {label}: {rate:.1f} req/s", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4, help="load time per target")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--only", default="", help="comma-separated page kinds (default all)")
    args = parser.parse_args(argv)
    if not (BIN / "gunicorn").exists():
        sys.exit("gunicorn is missing: pip install -e '.[production]' (make bench-pages does)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    stock_rows, uncached, cached = [], [], []
    try:
        print("Preparing the demo site and a stock Wagtail project ...", file=sys.stderr)
        pages = prepare_gongjian(tmp)
        if args.only:
            wanted = {name.strip() for name in args.only.split(",")}
            pages = [(name, path) for name, path in pages if name in wanted]
        stock_dir, stock_env = prepare_stock(tmp)
        cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"

        stock = Server("stocksite.wsgi", stock_env, stock_dir)
        try:
            measure("stock Wagtail home page", stock, "/", args.seconds, args.threads, stock_rows)
        finally:
            stock.stop()
        home = dict(pages).get("home", "/")
        firsts = [
            ("stock Wagtail", *first_and_warm("stocksite.wsgi", stock_env, stock_dir, "/")),
            ("Gongjian, uncached", *first_and_warm(
                "gongjian_site.wsgi", gongjian_env(tmp, 0), ROOT, home)),
        ]  # fmt: skip
        for seconds, rows, state in ((0, uncached, None), (600, cached, "hit")):
            server = Server("gongjian_site.wsgi", gongjian_env(tmp, seconds), ROOT, preload=True)
            try:
                for name, path in pages:
                    expect = None if name.startswith("search") else state
                    measure(name, server, path, args.seconds, args.threads, rows, expect)
            finally:
                server.stop()
        # Once more at the end: on a shared machine the load changes during the run.
        stock = Server("stocksite.wsgi", stock_env, stock_dir)
        try:
            measure("stock Wagtail home page", stock, "/", args.seconds, args.threads, stock_rows)
        finally:
            stock.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    (_l, before, before_ms), (_l, after, after_ms) = stock_rows
    base, base_ms = (before + after) / 2, (before_ms + after_ms) / 2
    print(f"\nPages under gunicorn, 2 workers, {args.threads} clients, {args.seconds:g} s each;")
    print(f"stock Wagtail's home page in the same run: {base:.1f} req/s, {base_ms:.1f} ms mean")
    print(f"(the mean of {before:.1f} req/s before the pages and {after:.1f} after them).")
    print(f"Cached: {cache}. Targets (issue 19): uncached >= 0.5x, cached >= 5x.\n")
    print(f"| {'page':<22} | {'uncached req/s':>14} | {'ms':>7} | {'vs stock':>8} "
          f"| {'cached req/s':>12} | {'vs stock':>8} |")  # fmt: skip
    print(f"|{'-' * 24}|{'-' * 16}|{'-' * 9}|{'-' * 10}|{'-' * 14}|{'-' * 10}|")
    for (name, rate, latency), (_n, cached_rate, _l) in zip(uncached, cached, strict=True):
        print(f"| {name:<22} | {rate:>14.1f} | {latency:>7.1f} | {rate / base:>7.2f}x "
              f"| {cached_rate:>12.1f} | {cached_rate / base:>7.2f}x |")  # fmt: skip
    print("\nHome page, first request of a fresh server (one worker, --preload) against the")
    print("median of the next 30 (target: first within 2x of warm):\n")
    print(f"| {'server':<22} | {'first ms':>9} | {'warm ms':>8} | {'first/warm':>10} |")
    print(f"|{'-' * 24}|{'-' * 11}|{'-' * 10}|{'-' * 12}|")
    for name, first, warm in firsts:
        print(f"| {name:<22} | {first:>9.1f} | {warm:>8.1f} | {first / warm:>9.2f}x |")


if __name__ == "__main__":
    main()
