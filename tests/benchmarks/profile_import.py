"""Profile of the .jsonl import (not a test run by `make test`):
`.venv/bin/pytest tests/benchmarks/profile_import.py -q -s` writes PROFILE_OUT (cProfile)."""

import cProfile
import io
import os
import pstats
import time

import pytest
from django.core.management import call_command

from tests.benchmarks.bench_publicity import generate

RECORDS = int(os.environ.get("BENCH_RECORDS", "2000"))


@pytest.mark.django_db
def test_profile_import(tmp_path):
    from plugins.archive.api import import_jsonl

    call_command("load_demo", stdout=io.StringIO())
    path = tmp_path / "bench.jsonl"
    generate(path, RECORDS)
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    profile.enable()
    report = import_jsonl(path, progress=False)
    profile.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.imported == RECORDS
    print(f"\n{RECORDS} records: {wall:.1f} s wall, {cpu:.1f} s CPU (with profiler)")
    out = os.environ.get("PROFILE_OUT")
    if out:
        profile.dump_stats(out)
    stats = pstats.Stats(profile).sort_stats("cumulative")
    stats.print_stats(60)
