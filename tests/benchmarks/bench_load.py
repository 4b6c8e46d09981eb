"""Load benchmark: `make bench-load` (not part of `make test`).

Production settings (tests/benchmarks/load/settings.py) on a throwaway PostgreSQL database
with Redis, gunicorn on loopback, and locust as the load generator. At 1, 10 and 50
concurrent clients it runs, for the same duration each:
  * the baseline: one static file through the same gunicorn and WhiteNoise;
  * the mix: one editor saving drafts in the admin, the other clients reading pages from
    the sitemap (3 in 4) or searching (1 in 4).
It prints requests/s, p50/p95/p99 latency and errors for each, the mix's throughput as a
ratio of the baseline's, and checks that no edit was lost: the revisions added equal the
saves the server confirmed, and every confirmed title is in a revision.
"""

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOAD = Path(__file__).resolve().parent / "load"
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout}s")


def run_locust(host, users, duration, classes, env, work):
    prefix = Path(work) / f"locust-{classes[0]}-{users}"
    saves = Path(work) / f"saves-{users}.json"
    env = {**env, "LOAD_SAVES_FILE": str(saves)}
    # --stop-timeout lets a client finish the request it is in when time is up, so an
    # edit the server saved is never left uncounted.
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(
            [str(BIN / "locust"), "-f", str(LOAD / "locustfile.py"), "--headless",
             "--only-summary", "-u", str(users), "-r", str(users), "-t", f"{duration}s",
             "--stop-timeout", "60", "--host", host, "--csv", str(prefix),
             "--loglevel", "WARNING", *classes],
            cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    confirmed = json.loads(saves.read_text()) if saves.exists() else []
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "saves": confirmed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit(
            "Run through `make bench-load` (it makes a throwaway PostgreSQL database)."
        )
    work = tempfile.mkdtemp(prefix="gongjian-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.load.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "STATIC_ROOT": f"{work}/static",
        "MEDIA_ROOT": f"{work}/media",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    print("Preparing: migrate, setup_site, load_demo, collectstatic ...", flush=True)
    for command in (["migrate", "--noinput"], ["setup_site"], ["load_demo"],
                    ["collectstatic", "--noinput"]):  # fmt: skip
        manage(env, *command)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from wagtail.models import Revision

    from plugins.orgs.models import CommunityPage, GridBranchPage

    edit_ids = [p.pk for p in CommunityPage.objects.order_by("path")[:3]]
    edit_ids += [p.pk for p in GridBranchPage.objects.order_by("path")[:3]]
    manifest = json.loads(Path(staticfiles_storage.location, "staticfiles.json").read_text())
    css = sorted(name for name in manifest["paths"] if name.endswith(".css"))[0]
    env["LOAD_EDIT_PAGE_IDS"] = ",".join(map(str, edit_ids))
    env["LOAD_STATIC_PATH"] = staticfiles_storage.url(css)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "gongjian_site.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    rows, saves = [], []
    try:
        wait_until_up(host + env["LOAD_STATIC_PATH"])
        before = Revision.objects.count()
        for users in [int(n) for n in args.clients.split(",")]:
            print(f"  {users} clients ...", flush=True)
            base = run_locust(host, users, args.duration, ["StaticFile"], env, work)
            mix = run_locust(
                host, users, args.duration, ["Resident", "Searcher", "Editor"], env, work
            )
            saves += mix["saves"]
            rows.append((users, base, mix))
        after = Revision.objects.count()
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\nLoad on gunicorn ({args.workers} workers), PostgreSQL and Redis; "
          f"{args.duration} s per run; latency in ms")  # fmt: skip
    header = f"{'clients':>7}  {'run':<12}{'requests':>9}{'errors':>7}{'req/s':>9}" \
             f"{'p50':>7}{'p95':>7}{'p99':>7}{'ratio':>8}"  # fmt: skip
    print(header)
    print("-" * len(header))
    for users, base, mix in rows:
        for label, r in (("static file", base), ("mix", mix)):
            ratio = r["rps"] / base["rps"] if base["rps"] else 0
            print(f"{users:>7}  {label:<12}{r['requests']:>9}{r['errors']:>7}{r['rps']:>9.1f}"
                  f"{r['p50']:>7.0f}{r['p95']:>7.0f}{r['p99']:>7.0f}{ratio:>7.2f}x")  # fmt: skip
    titles = {
        rev.content.get("title")
        for rev in Revision.objects.filter(object_id__in=[str(i) for i in edit_ids])
    }
    missing = [title for _, title in saves if title not in titles]
    errors = sum(base["errors"] + mix["errors"] for _, base, mix in rows)
    print(f"\nEdits confirmed: {len(saves)}; revisions added: {after - before}; "
          f"confirmed titles missing from revisions: {len(missing)}; errors: {errors}")  # fmt: skip
    if after - before != len(saves) or missing or errors:
        raise SystemExit("FAILED: errors or lost edits")


if __name__ == "__main__":
    main()
