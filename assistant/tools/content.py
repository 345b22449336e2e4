"""``search_content``: the content library search (``content.selectors.search.search``, the one
the library page and API use, so visibility and ranking are the same) — the top ``TOP`` items with
links."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assistant.tools.base import Card, Tool, ToolResult, register
from assistant.tools.common import link

TOP = 5


class SearchContent(Tool):
    name = "search_content"
    description = "Search the content library (lesson plans, units, activity cards, handouts …): top 5 with links."
    parameters = {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "Words to search for."},
            "kind": {
                "type": "string",
                "enum": [
                    "lesson_plan",
                    "unit",
                    "activity_card",
                    "handout",
                    "video_link",
                    "document",
                    "assessment_template",
                ],
            },
        },
        "required": ["query"],
        "additionalProperties": False,
    }
    permission = "content.view_contentitem"

    def run(self, ctx, query: str = "", kind=None, **arguments) -> ToolResult:
        from content.selectors.search import MAX_QUERY_LENGTH, SearchParams, search

        params = SearchParams(q=(query or "")[:MAX_QUERY_LENGTH], kind=kind or "")
        found = search(ctx.user, params, facets=False)
        items = list(found.items.filter(school=ctx.school)[:TOP])
        result = ToolResult(tool=self.name)
        result.data = {
            "query": query,
            "items": [{"id": i.pk, "title": i.title, "kind": i.kind, "summary": i.summary} for i in items],
        }
        if not items:
            result.sentences.append(_("I found nothing in the library for “%(query)s”.") % {"query": query})
            return result
        result.sentences.append(
            _("In the library for “%(query)s”: %(list)s.")
            % {"query": query, "list": "; ".join(f"{i.title} ({i.get_kind_display()})" for i in items)}
        )
        result.citations = [link(i.title, "content-item-detail", i.pk, kind="content") for i in items]
        result.cards.append(Card(kind="links", title=_("Library results"), links=list(result.citations)))
        return result


register(SearchContent())
