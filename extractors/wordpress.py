"""WordPress sources: the REST API (`/wp-json/wp/v2/posts`), falling back to the RSS feed."""

from urllib.parse import urlencode

API_PATH = "/wp-json/wp/v2/posts"
FEED_PATH = "/feed/"


def api_url(
    base_url: str,
    *,
    page: int = 1,
    per_page: int = 100,
    modified_after: str | None = None,
    after: str | None = None,
    before: str | None = None,
) -> str:
    """The posts-endpoint URL for one page, oldest change first so a cursor can advance.

    The parameter order is fixed: the recorded sample archive is keyed on exact URLs.
    """
    params: list[tuple[str, str]] = [
        ("per_page", str(per_page)),
        ("page", str(page)),
        ("orderby", "modified"),
        ("order", "asc"),
    ]
    for name, value in (("modified_after", modified_after), ("after", after), ("before", before)):
        if value:
            params.append((name, value))
    return f"{base_url.rstrip('/')}{API_PATH}?{urlencode(params)}"
