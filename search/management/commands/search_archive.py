import json

from django.core.management.base import BaseCommand, CommandError

from search.query import BadQuery, SearchRequest
from search.service import run


class Command(BaseCommand):
    help = "Search the archive (activity records, cases, compilation articles …) from the shell."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--type", default="", help="activity, case, compilation_article …")
        parser.add_argument(
            "--unit", default="", help="organisation path (slugs or names) or a name"
        )
        parser.add_argument("--year", default="")
        parser.add_argument("--tag", default="")
        parser.add_argument("--limit", default="10")
        parser.add_argument("--page", default="1")
        parser.add_argument("--sort", default="relevance", choices=["relevance", "date"])
        parser.add_argument("--json", action="store_true", help="print the JSON of /api/search/")

    def handle(self, *args, **options):
        params = {**options, "q": options["query"]}
        try:
            request = SearchRequest.from_params(params)
        except BadQuery as error:
            raise CommandError(str(error)) from error
        response, _parsed = run(request)
        if options["json"]:
            self.stdout.write(json.dumps(response.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"共 {response.total} 条结果")
        for hit in response.results:
            d = hit.document
            self.stdout.write(f"- [{d.doc_type}] {d.title}  {d.date or ''}  {d.unit}  {d.url}")
