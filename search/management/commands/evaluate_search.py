from django.core.management.base import BaseCommand

from search.evaluation import ENGINES, LABELS, evaluate


class Command(BaseCommand):
    help = (
        "Score archive search on the labelled set in fixtures/search_eval/ (recall@10, MRR@10, "
        "nDCG@10, recall@10 on the synonym queries) beside stock Wagtail's database backend "
        "and a naive jieba + FTS5 OR baseline. Leaves the database unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--verbose-queries", action="store_true")
        parser.add_argument(
            "--misses", action="store_true", help="list only the queries ours does not answer fully"
        )

    def handle(self, *args, **options):
        report = evaluate(k=options["k"])
        k = report["k"]
        for row in report["queries"]:
            g = row["gongjian"]
            if options["verbose_queries"] or (options["misses"] and (g.recall < 1 or g.mrr < 1)):
                others = " ".join(f"{e} {row[e].recall:.2f}" for e in ENGINES[1:] if e in row)
                self.stdout.write(
                    f"{row['q']:<20} {row['kind']:<20} recall {g.recall:.2f} rr {g.mrr:.2f} "
                    f"({others})  want {' '.join(row['relevant'])}  "
                    f"top: {' '.join(s or '-' for s in row['gongjian_top'][:6])}"
                )
        self.stdout.write(
            f"\n{len(report['queries'])} labelled queries, {report['synonym_queries']} of them "
            f"synonym or paraphrase queries; recall@{k} is out of min(relevant, {k})"
        )
        header = (
            f"{'engine':<40} | {'recall@' + str(k):>9} | {'MRR@' + str(k):>7} | "
            f"{'nDCG@' + str(k):>7} | {'synonym recall@' + str(k):>17}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for engine in ENGINES:
            r = report.get(engine)
            if r:
                self.stdout.write(
                    f"{LABELS[engine]:<40} | {r['recall']:>9.3f} | {r['mrr']:>7.3f} | "
                    f"{r['ndcg']:>7.3f} | {r['synonym']:>17.3f}"
                )
