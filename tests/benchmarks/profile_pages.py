"""Where an uncached public page spends its time (issue 19; not a test, not the product).

    .venv/bin/python tests/benchmarks/profile_pages.py [--only home,street] [--times 1]
        [--db /tmp/profile.sqlite3] [--top 30] [--queries]

Builds the demo in a SQLite file (kept with --db, so a second run starts at once),
then, in this process with DEBUG off and the page cache off, serves each public page
kind through Django's test client: once to warm per-process caches, then ``--repeat``
times under cProfile. Prints per page kind the mean time, the SQL queries and their
time, and the functions with the most cumulative time; ``--queries`` lists the SQL.
``--first`` also times the first request of a fresh process (start-up work left to it).
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def environment(db):
    return {
        "DJANGO_SETTINGS_MODULE": "gongjian_site.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": "profile-only-not-secret-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{db}",
        "MEDIA_ROOT": str(Path(db).parent / "media"),
        "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
        "PAGE_CACHE_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }


def prepare(db):
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, **environment(db))
    manage = [sys.executable, str(ROOT / "manage.py")]
    quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput"], **quiet)
    subprocess.run([*manage, "load_demo"], **quiet)


def log_query(queries, execute, sql, params, many, context):
    """A database execute wrapper noting each statement and its time."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        queries.append((sql, time.perf_counter() - started))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="", help="SQLite file to keep the demo in")
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    parser.add_argument("--times", type=int, default=1, help="demo content multiplied")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--queries", action="store_true", help="list each page's SQL")
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args(argv)

    db = Path(args.db or Path(tempfile.mkdtemp(prefix="profile-pages-")) / "demo.sqlite3")
    if not db.exists():
        print(f"Preparing the demo in {db} ...", file=sys.stderr)
        prepare(db)
    os.environ.update(environment(db))

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tests.benchmarks.test_page_queries import multiply_demo, page_kinds

    if args.times > 1:
        from django.db import transaction

        with transaction.atomic():
            multiply_demo(args.times)
    urls = page_kinds()
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    client = Client()
    for name, url in urls.items():
        if wanted and name not in wanted:
            continue
        started = time.perf_counter()
        first = client.get(url)
        first_ms = 1000 * (time.perf_counter() - started)
        assert first.status_code == 200, (name, url, first.status_code)
        queries = []
        with connection.execute_wrapper(partial(log_query, queries)):
            client.get(url)
        started = time.perf_counter()
        for _ in range(args.repeat):
            client.get(url)
        plain_ms = 1000 * (time.perf_counter() - started) / args.repeat
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.repeat):
            client.get(url)
        profile.disable()
        mean_ms = 1000 * (time.perf_counter() - started) / args.repeat
        sql_ms = 1000 * sum(seconds for _sql, seconds in queries)
        print(f"\n=== {name} {url}: first {first_ms:.1f} ms, mean {plain_ms:.1f} ms "
              f"({mean_ms:.1f} profiled), {len(queries)} queries, {sql_ms:.1f} ms SQL")  # fmt: skip
        if args.queries:
            for sql, seconds in queries:
                print(f"  [{1000 * seconds:.2f} ms] {sql[:300]}")
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
