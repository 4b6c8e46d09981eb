"""Run Wagtail's own tests on stock Wagtail and with every Gongjian plugin installed, and
compare (``make test-upstream``; README, "Wagtail's own tests with our plugins").

Why: our plugins reach deep into Wagtail (the page permission policy, the publish action,
``Task.on_action``, the workflow mails, the dashboard panels). Wagtail's own tests of page
permissions, the explorer and workflows are the fastest way to find a plugin that raises
where Wagtail does not. Each configuration runs in its own process (settings cannot
change inside one), with Django's test runner, and writes every test's outcome to JSON;
this script then prints the table and the tests whose outcome differs:

* *new exceptions*: a test that errors with our plugins and not on stock Wagtail. There
  must be none: the script exits 1 if there is one.
* *assertion differences*: a test that passes on stock and fails an assertion with our
  plugins. Each must be an intended behaviour difference, listed with its reason in
  ``tests/upstream/intended.py`` (explained in the README); an unlisted one, or a listed
  one that no longer differs, also exits 1, so the list stays true.

Usage (from the project folder)::

    .venv/bin/python -m tests.upstream.run               # both, one after the other
    .venv/bin/python -m tests.upstream.run --parallel    # both at once (two cores)
    .venv/bin/python -m tests.upstream.run --labels wagtail.admin.tests.test_workflows

Wagtail's settings use an in-memory SQLite database; under ``.ci/with-postgres.sh`` the
``DATABASE_URL`` it exports is handed to them, so both runs use that PostgreSQL server.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]

#: Wagtail's page permission, explorer and workflow tests (snippets' workflows too).
LABELS = [
    "wagtail.tests.test_page_permissions",
    "wagtail.admin.tests.pages.test_explorer_view",
    "wagtail.admin.tests.test_workflows",
    "wagtail.snippets.tests.test_workflows",
]

CONFIGS = {
    "stock": "wagtail.test.settings",
    "ours": "tests.upstream.settings",
}

OK, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"
EXPECTED_FAILURE, UNEXPECTED_SUCCESS = "expected failure", "unexpected success"


# --- One configuration (child process) ----------------------------------------------


def _summary(err):
    """The exception's type and message, and the last frame outside unittest (one line each)."""
    import traceback

    exc_type, exc, tb = err
    frames = [f for f in traceback.extract_tb(tb) if "/unittest/" not in f.filename]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    message = " ".join(str(exc).split())[:300]
    return {"exception": f"{exc_type.__name__}: {message}", "where": where}


class RecordingResult(unittest.TextTestResult):
    """Keeps every test's outcome by its id (``module.Class.test``), with a summary of the
    exception or failed assertion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def _record(self, test, outcome, err=None):
        detail = _summary(err) if err is not None else {}
        self.outcomes[test.id()] = {"outcome": outcome, **detail}

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, OK)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, FAILED, err)

    def addError(self, test, err):
        super().addError(test, err)
        # An error in setUpClass/setUpTestData reports once for the class: an error holder.
        self._record(test, ERROR, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes[test.id()] = {"outcome": SKIPPED, "exception": reason}

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, EXPECTED_FAILURE)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, UNEXPECTED_SUCCESS)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._record(subtest, FAILED if failed else ERROR, err)


def _database_from_url():
    """Hand ``DATABASE_URL`` (PostgreSQL) to Wagtail's settings, which read DATABASE_*."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    parts = urlparse(url)
    os.environ.update({
        "DATABASE_ENGINE": "django.db.backends.postgresql",
        "DATABASE_NAME": parts.path.lstrip("/"),
        "DATABASE_USER": parts.username or "",
        "DATABASE_PASSWORD": parts.password or "",
        "DATABASE_HOST": parts.hostname or "",
        "DATABASE_PORT": str(parts.port or ""),
    })  # fmt: skip


def run_child(config, labels, out):
    """Run ``labels`` under ``config``'s settings and write the outcomes to ``out``."""
    _database_from_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = CONFIGS[config]
    import django
    from django.conf import settings
    from django.test.runner import DiscoverRunner

    django.setup()
    outcomes = {}

    class Runner(DiscoverRunner):
        def get_resultclass(self):
            return RecordingResult

        def run_suite(self, suite, **kwargs):
            result = super().run_suite(suite, **kwargs)
            outcomes.update(result.outcomes)
            return result

    started = time.monotonic()
    runner = Runner(verbosity=1, interactive=False, parallel=1, failfast=False)
    runner.run_tests(labels)
    Path(out).write_text(json.dumps({
        "config": config, "settings": settings.SETTINGS_MODULE,
        "database": settings.DATABASES["default"]["ENGINE"],
        "seconds": round(time.monotonic() - started), "outcomes": outcomes,
    }, ensure_ascii=False, indent=1))  # fmt: skip


# --- Both configurations and the comparison ---------------------------------------


def _spawn(config, labels, out, log):
    command = [sys.executable, "-m", "tests.upstream.run", "--child", config,
               "--out", str(out), "--labels", *labels]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def counts(outcomes):
    values = [o["outcome"] for o in outcomes.values()]
    return {
        "run": len(values),
        "passed": values.count(OK),
        "failed": values.count(FAILED),
        "errors": values.count(ERROR),
        "skipped": values.count(SKIPPED),
        "expected failures": values.count(EXPECTED_FAILURE),
        "unexpected successes": values.count(UNEXPECTED_SUCCESS),
    }


def compare(stock, ours, intended):
    """The tests whose outcome differs, sorted into kinds; problems make the run fail."""
    new_errors, assertion_diffs, unexplained, other = [], [], [], []
    for test_id in sorted(set(stock) | set(ours)):
        before = stock.get(test_id, {"outcome": "not run"})
        after = ours.get(test_id, {"outcome": "not run"})
        if before["outcome"] == after["outcome"]:
            continue
        row = (test_id, before, after)
        if after["outcome"] == ERROR:
            new_errors.append(row)
        elif after["outcome"] == FAILED and before["outcome"] == OK:
            assertion_diffs.append(row)
            if test_id not in intended:
                unexplained.append(test_id)
        else:
            other.append(row)
    differing = {row[0] for row in assertion_diffs}
    stale = sorted(set(intended) - differing)
    return new_errors, assertion_diffs, unexplained, other, stale


def report(results, intended, labels):
    stock, ours = results["stock"], results["ours"]
    table = {name: counts(r["outcomes"]) for name, r in results.items()}
    print()
    print("Wagtail's own tests:", ", ".join(labels))
    print(f"{'':24}{'stock Wagtail':>16}{'with our plugins':>18}")
    for key in table["stock"]:
        print(f"{key:24}{table['stock'][key]:>16}{table['ours'][key]:>18}")
    secs = f"{stock['seconds']} s / {ours['seconds']} s"
    print(f"{'time':24}{secs:>34}  ({ours['database']})")

    new_errors, diffs, unexplained, other, stale = compare(
        stock["outcomes"], ours["outcomes"], intended
    )
    print()
    print(f"New exceptions (error with our plugins, not on stock): {len(new_errors)}")
    for test_id, before, after in new_errors:
        print(f"  {test_id}  [stock: {before['outcome']}]")
        print(f"      {after.get('exception', '')}")
        print(f"      at {after.get('where', '')}")
    print()
    print(f"Assertion differences (pass on stock, fail with our plugins): {len(diffs)}")
    for test_id, _before, after in diffs:
        reason = intended.get(test_id)
        print(f"  {test_id}")
        print(f"      {'intended: ' + reason if reason else 'NOT EXPLAINED in intended.py'}")
        if not reason:
            print(f"      {after.get('exception', '')}")
    if other:
        print()
        print(f"Other differences: {len(other)}")
        for test_id, before, after in other:
            print(f"  {test_id}: {before['outcome']} -> {after['outcome']}")
    if stale:
        print()
        print(f"Listed in intended.py but no longer different: {len(stale)}")
        for test_id in stale:
            print(f"  {test_id}")
    ok = not new_errors and not unexplained and not stale
    print()
    print("OK" if ok else "FAILED: see above")
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", nargs="+", default=LABELS)
    parser.add_argument("--parallel", action="store_true", help="run both configurations at once")
    parser.add_argument("--keep", metavar="DIR", help="keep the JSON outcomes and logs in DIR")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child, args.labels, args.out)
        return 0

    from tests.upstream.intended import INTENDED

    folder = Path(args.keep or tempfile.mkdtemp(prefix="upstream-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = {}
    jobs = []
    for config in CONFIGS:
        out, log = folder / f"{config}.json", open(folder / f"{config}.log", "w")  # noqa: SIM115
        print(f"Running Wagtail's tests: {config} (log: {log.name})", flush=True)
        jobs.append((config, out, log, _spawn(config, args.labels, out, log)))
        if not args.parallel:
            jobs[-1][3].wait()
    for config, out, log, process in jobs:
        process.wait()
        log.close()
        if not out.exists():
            print(f"The {config} run did not finish (exit {process.returncode}); see {log.name}")
            return 2
        results[config] = json.loads(out.read_text())
    # A run of some of the modules (or classes) answers for the listed tests among them.
    intended = {
        test_id: reason
        for test_id, reason in INTENDED.items()
        if any(test_id == label or test_id.startswith(label + ".") for label in args.labels)
    }
    return 0 if report(results, intended, args.labels) else 1


if __name__ == "__main__":
    sys.exit(main())
