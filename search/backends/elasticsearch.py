"""Elasticsearch 8 through elasticsearch-dsl, for a city that outgrows one machine.

The documents carry the same pre-segmented token fields as the database index,
so the analyzers are stock ones (whitespace tokenizer + lowercase) and the
cluster needs no Chinese plugin. Rebuilds write a fresh index and swap the alias
in one request, so searches never see a half-built index.
"""

import logging
import time

from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    connections,
)

from ..documents import ORGANISATION_TYPE
from ..models import SearchDocument
from ..query import FILL, MINIMUM_SHOULD_MATCH, Hit, SearchResponse

logger = logging.getLogger(__name__)

ALIAS = "gongjian-archive"
#: After a failed request, searches go straight to the database for this long instead of
#: waiting on a dead cluster each time.
RETRY_AFTER_SECONDS = 30
# The database backend's field weights (backends/database.py FIELD_WEIGHTS) as boosts.
FIELDS = ["title_tokens^10", "tag_tokens^5", "org_tokens", "body_tokens"]
# Score added to records matching every clause, and to records that are not organisation
# pages (unless the query names one): far above what bm25 gives, so the order is the
# database backend's: every word before most words, records before organisations.
ALL_WORDS_BONUS = 1000
RECORD_BONUS = 100
# In a filled list (fewer than FILL matches): records with the minimum of clauses, then
# those with at least one, then those sharing only a loose token (the database's tiers).
MOST_WORDS_BONUS = 400
ANY_WORD_BONUS = 200
FACETS = {"type": "doc_type", "year": "year", "district": "district", "street": "street",
          "community": "community", "tag": "tags"}  # fmt: skip

tokens = analyzer("gongjian_tokens", tokenizer="whitespace", filter=["lowercase"])


class ArchiveDocument(Document):
    """One archive record in Elasticsearch; ids are SearchDocument ids."""

    page_id = Integer()
    doc_type = Keyword()
    source_id = Keyword()
    title = Text(index=False)
    body = Text(index=False)
    date = Date()
    year = Integer()
    district = Keyword()
    street = Keyword()
    community = Keyword()
    unit = Keyword()
    org_path = Keyword()
    org_titles = Keyword()
    level = Keyword()
    url = Keyword(index=False)
    tags = Keyword()
    # A case and its compilation copies share it; others have their own (collapse).
    collapse_key = Keyword()
    title_tokens = Text(analyzer=tokens)
    tag_tokens = Text(analyzer=tokens)
    org_tokens = Text(analyzer=tokens)
    body_tokens = Text(analyzer=tokens)

    class Index:
        name = ALIAS
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def index_definition(name):
    """The concrete index behind the alias, with the analyzer and mappings."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ArchiveDocument)
    return index


def template_body():
    """An index template for every ``gongjian-archive-*`` index (mappings and analyzers)."""
    definition = index_definition("template").to_dict()
    return {"index_patterns": [f"{ALIAS}-*"], "template": definition}


def to_source(document):
    return {
        "page_id": document.page_id,
        "doc_type": document.doc_type,
        "source_id": document.source_id,
        "title": document.title,
        "body": document.body,
        "date": document.date.isoformat() if document.date else None,
        "year": document.year,
        "district": document.district,
        "street": document.street,
        "community": document.community,
        "unit": document.unit,
        "org_path": document.org_path,
        "org_titles": document.org_titles,
        "level": document.level,
        "url": document.url,
        "tags": document.tags,
        "collapse_key": document.collapse_key or f"doc-{document.pk}",
        "title_tokens": document.title_tokens,
        "tag_tokens": document.tag_tokens,
        "org_tokens": document.org_tokens,
        "body_tokens": document.body_tokens,
    }


def bulk_actions(documents, index=ALIAS):
    """The bulk API actions that write ``documents`` to ``index``."""
    for document in documents:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": document.pk,
            "_source": to_source(document),
        }


def clause_query(clause):
    """One query word: any of its alternatives, each of whose tokens must all be found,
    in any of the weighted fields (cross_fields: the fields share one analyzer)."""
    alternatives = [
        Q("multi_match", query=" ".join(alt), fields=FIELDS, type="cross_fields", operator="and")
        for alt in clause
    ]
    return (
        alternatives[0]
        if len(alternatives) == 1
        else Q("bool", should=alternatives, minimum_should_match=1)
    )


def loose_query(parsed):
    """Any of the query's loose tokens (ParsedQuery.loose), in any weighted field."""
    return Q("multi_match", query=" ".join(parsed.loose), fields=FIELDS, type="cross_fields",
             operator="or")  # fmt: skip


def text_query(parsed, minimum_should_match=MINIMUM_SHOULD_MATCH, fill=False):
    """Records matching at least ``minimum_should_match`` of the query's clauses, those
    matching all of them first, records before organisation pages unless the query
    names an organisation (the database backend's order). ``fill``: a list that was
    shorter than FILL, followed by the records matching fewer clauses, then by those
    sharing only a loose token."""
    if not parsed.clauses:
        return Q("match_all")
    clauses = [clause_query(clause) for clause in parsed.clauses]
    bonuses = [Q("constant_score", filter=Q("bool", must=clauses), boost=ALL_WORDS_BONUS)]
    if not parsed.names_organisation:
        bonuses.append(
            Q("constant_score", boost=RECORD_BONUS,
              filter=Q("bool", must_not=[Q("term", doc_type=ORGANISATION_TYPE)]))
        )  # fmt: skip
    if fill:
        most = Q("bool", should=clauses, minimum_should_match=MINIMUM_SHOULD_MATCH)
        bonuses += [
            Q("constant_score", filter=most, boost=MOST_WORDS_BONUS),
            Q("constant_score", filter=Q("bool", should=clauses, minimum_should_match=1),
              boost=ANY_WORD_BONUS),
        ]  # fmt: skip
        loose = [loose_query(parsed)] if parsed.loose else []
        words = Q("bool", should=clauses + loose, minimum_should_match=1)
    else:
        words = Q("bool", should=clauses, minimum_should_match=minimum_should_match)
    return Q("bool", must=[words], should=bonuses)


def build_search(
    request, parsed, index=ALIAS, minimum_should_match=MINIMUM_SHOULD_MATCH, fill=False
):
    """The elasticsearch-dsl Search for a request (also used by the tests as data)."""
    search = Search(index=index).query(text_query(parsed, minimum_should_match, fill))
    filters = {
        "doc_type": request.type,
        "year": request.year,
        "district": request.district,
        "street": request.street,
        "community": request.community,
        "tags": request.tag,
    }
    for field, value in filters.items():
        if value:
            search = search.filter("term", **{field: value})
    if request.unit:
        unit = request.unit.strip("/")
        search = search.filter(
            "bool",
            should=[
                Q("prefix", org_path=f"{unit}/"),
                Q("wildcard", org_path=f"*/{unit}/*"),
                Q("prefix", org_titles=f"{unit}/"),
                Q("wildcard", org_titles=f"*/{unit}/*"),
                Q("term", unit=unit),
            ],
            minimum_should_match=1,
        )
    for name, field in FACETS.items():
        search.aggs.bucket(name, "terms", field=field, size=30)
    if parsed.clauses:
        # How many records have every word: none means the list is of partial matches.
        search.aggs.bucket("all_words", "filter",
                           Q("bool", must=[clause_query(c) for c in parsed.clauses]))  # fmt: skip
    if request.sort == "date" or not parsed:
        search = search.sort("-date", "_score")
    else:
        # One result per underlying case: the best ranked of a case and its copies.
        search = search.extra(collapse={"field": "collapse_key"})
    search = search.extra(track_total_hits=True)
    return search[request.offset : request.offset + request.per_page]


class ElasticsearchBackend:
    """The archive on a cluster. The database's SearchDocument table stays the source of
    truth, so when the cluster is unreachable ``service.run`` answers from the database
    (see ``unavailable``) and ``rebuild_search_index`` brings the cluster back in step."""

    name = "elasticsearch"
    #: What "the cluster cannot answer" looks like: transport failures (refused,
    #: timed out) and server-side errors; a malformed query is a bug and still raises.
    unavailable_errors = (TransportError, ApiError)

    def __init__(self, url):
        self.url = url
        self.down_until = 0.0
        connections.create_connection(alias="gongjian", hosts=[url], request_timeout=10)

    @property
    def available(self):
        return time.monotonic() >= self.down_until

    def mark_down(self, exc):
        self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.error(
            "Elasticsearch at %s is unavailable (%s); searching the database for the next %ss",
            self.url, exc, RETRY_AFTER_SECONDS,
        )  # fmt: skip

    @property
    def client(self):
        return connections.get_connection("gongjian")

    def ensure_index(self):
        if not self.client.indices.exists_alias(name=ALIAS):
            name = f"{ALIAS}-{int(time.time() * 1000)}"
            index_definition(name).create(using="gongjian")
            self.client.indices.put_alias(index=name, name=ALIAS)

    def mirror(self, documents):
        from elasticsearch.helpers import bulk

        if not documents:
            return
        try:
            self.ensure_index()
            bulk(self.client, bulk_actions(documents), refresh="wait_for")
        except self.unavailable_errors as exc:
            # The page is saved and its document is in the database; losing the copy
            # must not fail the editor's publish. A rebuild restores the cluster.
            self.mark_down(exc)
            logger.error("%s documents not mirrored: run rebuild_search_index", len(documents))

    def mirror_delete(self, ids):
        from elasticsearch.helpers import bulk

        actions = ({"_op_type": "delete", "_index": ALIAS, "_id": pk} for pk in ids)
        try:
            bulk(self.client, actions, raise_on_error=False, refresh="wait_for")
        except self.unavailable_errors as exc:
            self.mark_down(exc)
            logger.error("documents %s not removed from the cluster: run rebuild_search_index",
                         list(ids))  # fmt: skip

    def rebuild(self, progress=None):
        """Load every document into a new index, then move the alias in one request."""
        from elasticsearch.helpers import bulk

        self.client.indices.put_index_template(name=ALIAS, **template_body())
        name = f"{ALIAS}-{int(time.time() * 1000)}"
        index_definition(name).create(using="gongjian")
        documents = SearchDocument.objects.iterator(chunk_size=1000)
        bulk(self.client, bulk_actions(documents, index=name), chunk_size=1000)
        self.client.indices.refresh(index=name)
        old = list(self.client.indices.get_alias(name=ALIAS).keys()) if (
            self.client.indices.exists_alias(name=ALIAS)) else []  # fmt: skip
        actions = [{"remove": {"index": o, "alias": ALIAS}} for o in old]
        actions.append({"add": {"index": name, "alias": ALIAS}})
        self.client.indices.update_aliases(actions=actions)
        for o in old:
            self.client.indices.delete(index=o)

    def search(self, request, parsed):
        response = build_search(request, parsed).using("gongjian").execute()
        if parsed and parsed.fill_tiers() and response.hits.total.value < FILL:
            # A short list is followed by the records matching less of the query.
            response = build_search(request, parsed, fill=True).using("gongjian").execute()
        ids = [int(hit.meta.id) for hit in response]
        documents = SearchDocument.objects.in_bulk(ids)
        hits = [Hit(document=documents[int(h.meta.id)], score=h.meta.score or 0)
                for h in response if int(h.meta.id) in documents]  # fmt: skip
        facets = {
            name: [
                {"value": b.key, "count": b.doc_count}
                for b in getattr(response.aggregations, name).buckets
            ]  # fmt: skip
            for name in FACETS
        }
        all_words = getattr(response.aggregations, "all_words", None)
        partial = bool(parsed) and not (all_words and all_words.doc_count)
        return SearchResponse(request=request, total=response.hits.total.value, results=hits,
                              facets=facets, backend=self.name, partial=partial)  # fmt: skip
