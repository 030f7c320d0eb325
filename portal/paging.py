"""Paged lists: which page the request asks for, and the links to the pages around it (for
`macros/pagination.html`)."""

from __future__ import annotations

from flask import request, url_for

MAX_PAGE = 1_000_000  # beyond any list; a larger number would overflow the database's integer


def requested_page() -> int:
    """The `pagina` query argument, from 1 to `MAX_PAGE`."""
    return min(max(request.args.get("pagina", 1, type=int), 1), MAX_PAGE)


def page_links(endpoint: str, page: int, total: int, per_page: int, **args) -> dict:
    """`page`, `pages`, `previous_url` and `next_url` for the template (same arguments kept)."""
    pages = max((total + per_page - 1) // per_page, 1)
    return {
        "page": page,
        "pages": pages,
        "previous_url": url_for(endpoint, **args, pagina=page - 1) if page > 1 else None,
        "next_url": url_for(endpoint, **args, pagina=page + 1) if page < pages else None,
    }
