"""The library home page (``/content/``): search box, filter sidebar with facet counts, ranked
results with snippets, "Recently viewed" and "Popular in my school" cards, and the htmx
"Related" card an item page includes. Thin: ``content.forms_search.SearchForm`` parses the GET
parameters and ``content.selectors.search`` / ``discovery`` do the reading, exactly as for the
API, so a student sees here only what ``visible_to`` gives them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.pages import paginate
from accounts.permissions import allowed_somewhere
from content.forms_search import SearchForm
from content.models import ContentItem, ContentKind, ContentLanguage, ContentStatus
from content.selectors import discovery
from content.selectors.access import can_view
from content.selectors.search import search, snippet
from physed.models.library import GradeBand

ADD_PERM = "content.add_contentitem"
FILTER_NAMES = ("kind", "grade", "grade_band", "category", "tag", "standard", "owner", "status", "shared", "language")
LABELS = {
    "kind": dict(ContentKind.choices),
    "status": dict(ContentStatus.choices),
    "grade_band": dict(GradeBand.choices),
    "language": dict(ContentLanguage.choices),
}


def _query(get, **changes) -> str:
    """The current query string without ``page``, with ``changes`` applied (``tag`` is added to
    the tags already chosen)."""
    query = get.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if name == "tag":
            tags = query.getlist("tag")
            if value not in tags:
                query.setlist("tag", [*tags, value])
        else:
            query[name] = str(value)
    return query.urlencode()


def _facet_links(get, facets: dict) -> list[dict]:
    """Facet groups for the sidebar: label, rows with a filter link and whether it is chosen."""
    groups = [
        ("kind", _("Type"), "value"),
        ("status", _("Status"), "value"),
        ("grade_band", _("Grade band"), "value"),
        ("category", _("Category"), "id"),
        ("tag", _("Tags"), "name"),
        ("standard", _("Standards"), "id"),
        ("owner", _("Owner"), "id"),
        ("language", _("Language"), "value"),
    ]
    result = []
    for name, title, key in groups:
        rows = []
        chosen = get.getlist(name)
        for row in facets.get(name) or ():
            value = row[key]
            label = row.get("name") or LABELS.get(name, {}).get(value, value)
            rows.append(
                {
                    "label": label,
                    "count": row["count"],
                    "url": "?" + _query(get, **{name: value}),
                    "active": str(value) in chosen,
                }
            )
        if rows:
            result.append({"name": name, "title": title, "rows": rows})
    return result


def _decorate(items, terms) -> list:
    for item in items:
        item.snippet = snippet(item, terms)
        item.tag_names = sorted(tag.name for tag in item.tags.all())
    return items


@login_required
def home(request):
    user = request.user
    form = SearchForm(user, request.GET)
    context = {
        "form": form,
        "can_add": allowed_somewhere(user, ADD_PERM, record=False),
        "can_browse_taxonomy": allowed_somewhere(user, "content.view_contentitem", record=False),
        "filtered": any(request.GET.get(name) for name in ("q", *FILTER_NAMES)),
        "filters_open": any(request.GET.get(name) for name in FILTER_NAMES),
        "query_string": _query(request.GET),
        "current_path": request.get_full_path(),
        "recent": discovery.recently_viewed(user),
        "popular": discovery.popular_items(user),
    }
    status = 200
    if form.is_valid():
        result = search(user, form.params())
        page = paginate(request, result.items)
        _decorate(page.object_list, result.terms)
        context.update(
            page=page,
            facet_groups=_facet_links(request.GET, result.facets),
        )
    else:
        status = 400
    template = "content/search/_results.html" if request.htmx and request.htmx.target == "search-results" else None
    return render(request, template or "content/search/home.html", context, status=status)


@login_required
def related(request, pk):
    """The "Related" card (an htmx fragment; also a plain page fragment without JS)."""
    item = ContentItem.objects.in_user_schools(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item."))
    if not can_view(request.user, item):
        raise PermissionDenied(_("You cannot see this item."))
    rows = discovery.related_items(request.user, item)
    return render(request, "content/search/_related.html", {"item": item, "related": rows})
