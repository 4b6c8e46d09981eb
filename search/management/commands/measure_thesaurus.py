from django.core.management.base import BaseCommand

from search.thesaurus import DROPPED, measure, write_dropped


class Command(BaseCommand):
    help = (
        "Score every group of search/thesaurus.txt on the labelled queries it touches "
        "(with and without it) and list the ones that hurt; --write saves them to "
        "thesaurus_dropped.txt, which loading skips. Leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--all", action="store_true", help="list every measured group")

    def handle(self, *args, **options):
        report = measure(k=options["k"])
        groups = report["groups"]
        touched = [g for g in groups if g["queries"]]
        hurt = [g for g in groups if g["gain"] < 0]
        helped = [g for g in groups if g["gain"] > 0]
        for group in groups if options["all"] else hurt:
            self.stdout.write(
                f"{group['gain']:+.3f}  {' = '.join(group['terms'])}  "
                f"({'、'.join(group['queries']) or '无查询涉及'})"
            )
        self.stdout.write(
            f"\n{len(groups)} groups: {len(touched)} touched by a labelled query, "
            f"{len(helped)} help, {len(hurt)} hurt (dropped), "
            f"{len(groups) - len(hurt)} kept"
        )
        self.stdout.write(f"{'synonyms':<24} | {'recall':>7} | {'MRR':>7} | {'nDCG':>7}")
        for name, label in (("none", "no thesaurus"), ("all", "whole thesaurus"),
                            ("kept", "groups kept")):  # fmt: skip
            r = report[name]
            self.stdout.write(
                f"{label:<24} | {r['recall']:>7.3f} | {r['mrr']:>7.3f} | {r['ndcg']:>7.3f}"
            )
        if options["write"]:
            write_dropped(report)
            self.stdout.write(f"wrote {DROPPED}")
