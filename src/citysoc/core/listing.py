"""Tables that sort, filter and paginate, with a query count that does not grow with rows.

A list view builds its queryset (tenancy first, then the filter form), then calls
`build_table()` with a whitelist of sort keys. Only whitelisted keys reach `order_by`, so a
crafted `?sort=` can neither error nor sort on a field the page does not show. The page
costs two queries (COUNT and the page's rows) plus whatever `select_related` /
`prefetch_related` the caller set: bounded, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import Combinable
from django.http import QueryDict

PER_PAGE = 50


@dataclass(frozen=True)
class SortHeader:
    """The link of one sortable column header and the arrow showing the current order."""

    url: str
    arrow: str = ""


@dataclass
class Table:
    page: Page
    sort: str
    headers: dict[str, SortHeader] = field(default_factory=dict)
    # The current filters and sort, without `page`, for the pagination links.
    querystring: str = ""

    @property
    def rows(self):
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _order(keys: Sequence[str], descending: bool) -> list[str]:
    if not descending:
        return list(keys)
    return [k[1:] if k.startswith("-") else f"-{k}" for k in keys]


def _headers(params: QueryDict, sort_fields: Mapping[str, Sequence[str]], sort: str):
    headers = {}
    for key in sort_fields:
        q = params.copy()
        q.pop("page", None)
        q["sort"] = f"-{key}" if sort == key else key
        arrow = " ▲" if sort == key else " ▼" if sort == f"-{key}" else ""
        headers[key] = SortHeader(url="?" + q.urlencode(), arrow=arrow)
    return headers


def build_table(
    params: QueryDict,
    queryset: QuerySet,
    *,
    sort_fields: Mapping[str, Sequence[str]],
    default_order: Sequence[str | Combinable],
    per_page: int = PER_PAGE,
) -> Table:
    """Sort `queryset` by the whitelisted `?sort=` key (or `default_order`) and paginate it.

    `sort_fields` maps a key to the ORM ordering it stands for; `-key` reverses it. The
    primary key is always the last ordering term so that pages never repeat or skip a row.
    """
    sort = params.get("sort", "")
    key = sort.removeprefix("-")
    order: Sequence[str | Combinable]
    if key in sort_fields:
        order = _order(sort_fields[key], sort.startswith("-"))
    else:
        sort, order = "", list(default_order)
    page = Paginator(queryset.order_by(*order, "pk"), per_page).get_page(params.get("page"))
    rest = params.copy()
    rest.pop("page", None)
    return Table(
        page=page,
        sort=sort,
        headers=_headers(params, sort_fields, sort),
        querystring=rest.urlencode(),
    )
