"""RSS of an organisation's recent activities (its own and those below it)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Rss201rev2Feed

from gongjian_site.params import parse_id
from plugins.orgs.models import OrganisationPage

from .models import activities_of

FEED_SIZE = 20


class OrganisationActivityFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, page_id):
        # parse_id: a 20-digit id in the address must be a 404, not an overflow.
        organisation = (
            OrganisationPage.objects.live().public().filter(pk=parse_id(page_id, 0)).first()
        )
        if organisation is None:
            raise Http404("没有这个组织")
        self.request = request
        return organisation

    def title(self, obj):
        return f"{obj.title} · 活动记录"

    def link(self, obj):
        return obj.get_url(self.request) or "/"

    def description(self, obj):
        return f"{obj.title}及其下级组织、驻区单位的区域化党建活动记录"

    def items(self, obj):
        return list(activities_of(obj)[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_description or item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.kind.name]
