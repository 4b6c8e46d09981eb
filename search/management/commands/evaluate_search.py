from django.core.management.base import BaseCommand

from search.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Score archive search on the labelled set in fixtures/search_eval/ (recall@10, MRR@10), "
        "beside stock Wagtail's database backend. Leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--verbose-queries", action="store_true")

    def handle(self, *args, **options):
        report = evaluate(k=options["k"])
        k = report["k"]
        if options["verbose_queries"]:
            for row in report["queries"]:
                g, s = row["gongjian"], row["stock"]
                self.stdout.write(
                    f"{row['q']:<16} {row['kind']:<24} recall {g.recall:.2f} / stock {s.recall:.2f}"
                    f"   top: {' '.join(row['gongjian_top'][:5])}"
                )
        self.stdout.write(f"\n{len(report['queries'])} labelled queries")
        self.stdout.write(f"{'engine':<32} | {'recall@' + str(k):>10} | {'MRR@' + str(k):>8}")
        for engine, label in (("gongjian", "Gongjian (jieba + domain dict)"),
                              ("stock", "stock Wagtail database backend")):  # fmt: skip
            r = report[engine]
            self.stdout.write(f"{label:<32} | {r['recall']:>10.3f} | {r['mrr']:>8.3f}")
