"""Build samples/sites.warc.gz: the HTTP exchanges the real sites would serve for the five seeds.

We cannot reach rareearthexchanges.com or en.cngeo.com from our machines, so the extractors are
developed and tested against a recorded archive instead. This script renders each seed text
(samples/seeds/*.txt) into what the sites serve for it, following /work/shared/SOURCES.md: the
WordPress REST API pages (full, paginated and the empty incremental answer), the RSS feed, each
post's HTML page with its widgets, robots.txt, and the cngeo mirror page.

The output is byte-for-byte deterministic (fixed dates, record ids derived from the URL, gzip
without timestamps), so a regenerated archive can be diffed and reviewed. It also writes
samples/manifest.json: every recorded URL, its kind, and the WordPress cursor after a full crawl.

Usage: uv run python scripts/build_samples.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import html
import io
import json
import re
import sys
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from string import Template
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractors.wordpress import api_url  # noqa: E402

SEEDS = REPO / "samples" / "seeds"
CONFIG = Path(__file__).with_name("sample_posts.toml")
WARC_NAME = "sites.warc.gz"
MANIFEST_NAME = "manifest.json"
CRAWL_START = datetime(2026, 2, 10, 9, 0, 0, tzinfo=UTC)
"""WARC-Date of the first exchange; each further exchange is two seconds later."""
USER_AGENT = "claimtrail/0.1 (+https://github.com/claimtrail/claimtrail)"
NEW_TAB = "(opens in a new tab)"
EXCERPT_WORDS = 55
RSS_DATE = "%a, %d %b %Y %H:%M:%S +0000"
TEMPLATES = Path(__file__).with_name("sample_templates")


def template(name: str) -> Template:
    """A page skeleton from scripts/sample_templates (`$name` placeholders, `$$` for `$`)."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


@dataclass
class Exchange:
    """One recorded HTTP exchange, before it is written as a request/response record pair."""

    url: str
    kind: str
    body: bytes
    headers: list[tuple[str, str]]
    status: str = "200 OK"
    note: dict[str, str] = field(default_factory=dict)


# --- post content (Gutenberg output) -------------------------------------------------------


def anchor_id(text: str) -> str:
    """Rank Math's heading anchor: lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inline(text: str, links: list[dict[str, str]], used: set[str]) -> str:
    """Escape a line and turn each `anchor (opens in a new tab)` into Gutenberg's link markup."""
    out = html.escape(text, quote=False)
    for link in links:
        needle = html.escape(link["anchor"], quote=False) + " " + NEW_TAB
        if needle in out and link["anchor"] not in used:
            markup = (
                f'<a href="{html.escape(link["href"])}" target="_blank" rel="noreferrer noopener">'
                f"{html.escape(link['anchor'], quote=False)}"
                f'<span class="screen-reader-text">{NEW_TAB}</span></a>'
            )
            out = out.replace(needle, markup, 1)
            used.add(link["anchor"])
    return out


class Blocks:
    """Accumulates Gutenberg blocks, with or without the block-comment delimiters."""

    def __init__(self, with_comments: bool) -> None:
        self.with_comments = with_comments
        self.parts: list[str] = []

    def add(self, name: str, markup: str, attrs: str = "") -> None:
        if self.with_comments:
            opener = f"<!-- wp:{name} {attrs} -->" if attrs else f"<!-- wp:{name} -->"
            markup = f"{opener}\n{markup}\n<!-- /wp:{name} -->"
        self.parts.append(markup)

    def list_items(self, items: list[str]) -> str:
        if self.with_comments:
            return "".join(
                f"<!-- wp:list-item -->\n<li>{item}</li>\n<!-- /wp:list-item -->" for item in items
            )
        return "".join(f"<li>{item}</li>" for item in items)

    def html(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def render_content(post: dict, lines: list[str]) -> str:
    """The post's `content.rendered`: the seed's body lines as the block editor outputs them."""
    blocks = Blocks(post["block_comments"])
    links, used = post["links"], set()
    headings, subheadings = set(post["headings"]), set(post["subheadings"])
    with_ids = post.get("toc", False)
    if post.get("prelude"):
        blocks.add("paragraph", f"<p>{html.escape(post['prelude'], quote=False)}</p>")

    def heading(text: str, level: int) -> None:
        ident = f' id="{anchor_id(text)}"' if with_ids else ""
        markup = f'<h{level} class="wp-block-heading"{ident}>{inline(text, links, used)}</h{level}>'
        blocks.add("heading", markup, "" if level == 2 else f'{{"level":{level}}}')

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                items.append(inline(lines[i][2:], links, used))
                i += 1
            blocks.add("list", f'<ul class="wp-block-list">{blocks.list_items(items)}</ul>')
            continue
        if line.endswith(" |") and " | " in line:
            rows = []
            while i < len(lines) and lines[i].endswith(" |"):
                cells = [c.strip() for c in lines[i].rstrip(" |").split(" | ")]
                rows.append("<tr>" + "".join(f"<td>{inline(c, links, used)}</td>" for c in cells))
                i += 1
            table = "</tr>".join(rows) + "</tr>"
            blocks.add(
                "table",
                f'<figure class="wp-block-table"><table class="has-fixed-layout"><tbody>{table}'
                "</tbody></table></figure>",
            )
            continue
        if line in headings:
            heading(line, 2)
        elif line in subheadings:
            heading(line, 3)
        elif line == "Table of Contents" and post.get("toc"):
            blocks.add("rank-math/toc-block", toc_block(post), '{"headings":"h2,h3"}')
        elif not line.strip():
            blocks.add("paragraph", "<p></p>")
        else:
            blocks.add("paragraph", f"<p>{inline(line, links, used)}</p>")
        i += 1
    missing = [link["anchor"] for link in links if link["anchor"] not in used]
    if missing or f" {NEW_TAB}" in blocks.html():
        raise ValueError(f"post {post['id']}: unplaced links {missing}")
    return blocks.html()


def toc_block(post: dict) -> str:
    """Rank Math's Table of Contents block, listing the post's headings after Highlights."""
    items = []
    for text in [h for h in post["headings"] if h != "Highlights"] + post["subheadings"]:
        items.append(f'<li><a href="#{anchor_id(text)}">{html.escape(text, quote=False)}</a></li>')
    return (
        '<div class="wp-block-rank-math-toc-block" id="rank-math-toc"><h2>Table of Contents</h2>'
        f"<nav><ul>{''.join(items)}</ul></nav></div>"
    )


def plain_text(markup: str) -> str:
    """Markup without tags, comments or extra whitespace (what WordPress trims excerpts from)."""
    text = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def excerpt_words(markup: str) -> str:
    words = plain_text(markup).split()
    return " ".join(words[:EXCERPT_WORDS])


# --- WordPress dates and post objects --------------------------------------------------------


def site_zone(site: dict) -> timezone:
    return timezone(timedelta(hours=site["utc_offset_hours"]))


def local_and_gmt(value: str, site: dict) -> tuple[datetime, datetime]:
    local = datetime.fromisoformat(value).replace(tzinfo=site_zone(site))
    return local, local.astimezone(UTC)


def wp_time(moment: datetime) -> str:
    """WordPress' API date format: ISO 8601 without zone (the field name says which zone)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def permalink(site: dict, post: dict) -> str:
    return f"{site['base']}/news/{post['slug']}/"


def shortlink(site: dict, post: dict) -> str:
    return f"{site['base']}/?p={post['id']}"


def post_object(site: dict, post: dict, content: str) -> dict:
    """A post in the exact shape of WordPress' `/wp/v2/posts` answer (`_links` included)."""
    base, pid = site["base"], post["id"]
    date, date_gmt = local_and_gmt(post["date"], site)
    modified, modified_gmt = local_and_gmt(post["modified"], site)
    api = f"{base}/wp-json/wp/v2"
    return {
        "id": pid,
        "date": wp_time(date),
        "date_gmt": wp_time(date_gmt),
        "guid": {"rendered": shortlink(site, post)},
        "modified": wp_time(modified),
        "modified_gmt": wp_time(modified_gmt),
        "slug": post["slug"],
        "status": "publish",
        "type": "post",
        "link": permalink(site, post),
        "title": {"rendered": html.escape(post["title"], quote=False)},
        "content": {"rendered": content, "protected": False},
        "excerpt": {
            "rendered": f"<p>{excerpt_words(content)} [&hellip;]</p>\n",
            "protected": False,
        },
        "author": site["author_id"],
        "featured_media": post["featured_media"],
        "comment_status": "open",
        "ping_status": "closed",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": post["categories"],
        "tags": post["tags"],
        "class_list": [
            f"post-{pid}",
            "post",
            "type-post",
            "status-publish",
            "format-standard",
            "has-post-thumbnail",
            "hentry",
            *[f"category-{c}" for c in ("news", "china")],
        ],
        "_links": {
            "self": [{"href": f"{api}/posts/{pid}", "targetHints": {"allow": ["GET"]}}],
            "collection": [{"href": f"{api}/posts"}],
            "about": [{"href": f"{api}/types/post"}],
            "author": [{"embeddable": True, "href": f"{api}/users/{site['author_id']}"}],
            "replies": [{"embeddable": True, "href": f"{api}/comments?post={pid}"}],
            "version-history": [{"count": 2, "href": f"{api}/posts/{pid}/revisions"}],
            "predecessor-version": [
                {"id": pid + 2, "href": f"{api}/posts/{pid}/revisions/{pid + 2}"}
            ],
            "wp:featuredmedia": [
                {"embeddable": True, "href": f"{api}/media/{post['featured_media']}"}
            ],
            "wp:attachment": [{"href": f"{api}/media?parent={pid}"}],
            "wp:term": [
                {
                    "taxonomy": "category",
                    "embeddable": True,
                    "href": f"{api}/categories?post={pid}",
                },
                {"taxonomy": "post_tag", "embeddable": True, "href": f"{api}/tags?post={pid}"},
            ],
            "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
        },
    }


def wp_json(value: object) -> bytes:
    """JSON as `wp_json_encode` writes it: compact, slashes escaped (text kept as UTF-8 here)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("/", "\\/").encode("utf-8")


# --- HTTP responses ------------------------------------------------------------------------


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def wp_headers(
    content_type: str, body: bytes, extra: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    return [
        ("Server", "nginx"),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Connection", "keep-alive"),
        ("Vary", "Accept-Encoding"),
        *extra,
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]


def api_exchange(site: dict, objects: list[dict], page: int, per_page: int, **filters) -> Exchange:
    """One page of `/wp/v2/posts?orderby=modified&order=asc`, with WordPress' paging headers."""
    base = site["base"]
    total = len(objects)
    pages = -(-total // per_page)
    body = wp_json(objects[(page - 1) * per_page : page * per_page])
    links = []
    if page > 1:
        links.append(f'<{api_url(base, page=page - 1, per_page=per_page, **filters)}>; rel="prev"')
    if page < pages:
        links.append(f'<{api_url(base, page=page + 1, per_page=per_page, **filters)}>; rel="next"')
    links.append(f'<{base}/wp-json/>; rel="https://api.w.org/"')
    extra = [
        ("X-Robots-Tag", "noindex"),
        ("Link", ", ".join(links)),
        ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
        (
            "Access-Control-Allow-Headers",
            "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
        ),
        ("X-WP-Total", str(total)),
        ("X-WP-TotalPages", str(pages)),
        ("Allow", "GET"),
        ("Cache-Control", "no-cache, must-revalidate, max-age=0"),
    ]
    url = api_url(base, page=page, per_page=per_page, **filters)
    headers = wp_headers("application/json; charset=UTF-8", body, extra)
    note = {"page": str(page), "per_page": str(per_page), **filters}
    return Exchange(url, "wp_api", body, headers, note=note)


def rss_exchange(site: dict, posts: list[dict], contents: dict[int, str]) -> Exchange:
    """`/feed/` as WordPress renders RSS 2.0: newest first, guid = short link, not permalink."""
    base = site["base"]
    newest = max(local_and_gmt(p["modified"], site)[1] for p in posts)
    items = []
    for post in sorted(posts, key=lambda p: p["date"], reverse=True):
        content = contents[post["id"]]
        published = local_and_gmt(post["date"], site)[1]
        item = template("feed_item.xml").substitute(
            title=html.escape(post["title"], quote=False),
            link=permalink(site, post),
            author_name=site["author_name"],
            pub_date=published.strftime(RSS_DATE),
            shortlink=shortlink(site, post),
            excerpt=excerpt_words(content),
            content=content,
        )
        items.append(item.rstrip("\n"))
    feed = template("feed.xml").substitute(
        site_name=html.escape(site["name"]),
        base=base,
        tagline=html.escape(site["tagline"]),
        last_build=newest.strftime(RSS_DATE),
        items="\n".join(items),
    )
    body = feed.encode("utf-8")
    extra = [
        ("Last-Modified", http_date(newest)),
        ("ETag", f'"{hashlib.md5(body).hexdigest()}"'),
        ("Link", f'<{base}/wp-json/>; rel="https://api.w.org/"'),
    ]
    headers = wp_headers("application/rss+xml; charset=UTF-8", body, extra)
    return Exchange(f"{base}/feed/", "rss", body, headers)


# --- post pages ------------------------------------------------------------------------------


def post_page(site: dict, post: dict, content: str, footer: str) -> Exchange:
    """The post's HTML page: WordPress 6.9 theme markup with Rank Math's head and JSON-LD."""
    base, link = site["base"], permalink(site, post)
    date, _ = local_and_gmt(post["date"], site)
    modified, modified_gmt = local_and_gmt(post["modified"], site)
    title = html.escape(post["title"], quote=False)
    description = html.escape(excerpt_words(content)[:155], quote=True)
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": f"{base}/#organization",
                "name": site["name"],
                "url": base,
            },
            {
                "@type": "WebSite",
                "@id": f"{base}/#website",
                "url": base,
                "name": site["name"],
                "publisher": {"@id": f"{base}/#organization"},
                "inLanguage": "en-US",
            },
            {
                "@type": "WebPage",
                "@id": f"{link}#webpage",
                "url": link,
                "name": post["title"],
                "datePublished": date.isoformat(),
                "dateModified": modified.isoformat(),
                "isPartOf": {"@id": f"{base}/#website"},
                "inLanguage": "en-US",
            },
            {
                "@type": "Person",
                "@id": f"{base}/author/{site['author_slug']}/",
                "name": site["author_name"],
            },
            {
                "@type": "NewsArticle",
                "headline": post["title"],
                "datePublished": date.isoformat(),
                "dateModified": modified.isoformat(),
                "author": {
                    "@id": f"{base}/author/{site['author_slug']}/",
                    "name": site["author_name"],
                },
                "publisher": {"@id": f"{base}/#organization"},
                "description": excerpt_words(content)[:155],
                "name": post["title"],
                "@id": f"{link}#richSnippet",
                "isPartOf": {"@id": f"{link}#webpage"},
                "inLanguage": "en-US",
                "mainEntityOfPage": {"@id": f"{link}#webpage"},
            },
        ],
    }
    short = shortlink(site, post)
    comments = template(f"comments_{post['comment_widget']}.html").substitute(
        base=base, id=post["id"], thread=post.get("forum_thread", "")
    )
    share = template("share.html").substitute(
        url=quote(link, safe=""), title=quote(post["title"], safe="")
    )
    page = template("post_page.html").substitute(
        title=title,
        title_attr=html.escape(post["title"]),
        site_name=html.escape(site["name"]),
        description=description,
        link=link,
        base=base,
        id=post["id"],
        shortlink=short,
        published=date.isoformat(),
        modified=modified.isoformat(),
        published_human=date.strftime("%B %-d, %Y"),
        modified_human=modified.strftime("%B %-d, %Y"),
        author_slug=site["author_slug"],
        author_name=html.escape(site["author_name"]),
        json_ld=json.dumps(ld, ensure_ascii=False),
        content=content.rstrip("\n"),
        share=share.strip(),
        comments=comments.rstrip("\n"),
        footer=html.escape(footer, quote=False),
    )
    body = page.encode("utf-8")
    extra = [
        ("Link", f'<{base}/wp-json/>; rel="https://api.w.org/", <{short}>; rel=shortlink'),
        ("Last-Modified", http_date(modified_gmt)),
        ("Cache-Control", "max-age=600, must-revalidate"),
    ]
    headers = wp_headers("text/html; charset=UTF-8", body, extra)
    return Exchange(link, "post_page", body, headers, note={"post_id": str(post["id"])})


def robots(url: str, text: str, server: str) -> Exchange:
    body = text.encode("utf-8")
    headers = [
        ("Server", server),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    return Exchange(url, "robots", body, headers)


WP_ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: https://rareearthexchanges.com/sitemap_index.xml
"""

CNGEO_ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /Search/
"""


# --- the cngeo mirror ------------------------------------------------------------------------

SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
HEADING_MAX = 300
"""Numbered lines shorter than this are section headings (body paragraphs run far longer)."""


def cngeo_page(cfg: dict, lines: list[str]) -> Exchange:
    """A Chinese-CMS article page: title, label/value header rows, guide, citation, contents, body.

    The seed's line layout is fixed (title, "Release time:", date, "Source:", name, "Guide to
    Reading", guide, "Information cited in this article", citation, "Table of Contents",
    "CONTENTS", contents entries, body); numbered body lines are section headings.
    """
    expected = {1: "Release time:", 3: "Source:", 5: "Guide to Reading"}
    expected |= {7: "Information cited in this article", 9: "Table of Contents", 10: "CONTENTS"}
    for index, label in expected.items():
        if lines[index] != label:
            raise ValueError(f"cngeo seed line {index + 1}: expected {label!r}")
    title, release, source, guide, citation = lines[0], lines[2], lines[4], lines[6], lines[8]
    start = 11
    while SECTION_NUMBER.match(lines[start]) and len(lines[start]) < HEADING_MAX:
        start += 1
    contents, body = lines[11:start], []
    for line in lines[start:]:
        number = SECTION_NUMBER.match(line)
        text = html.escape(line, quote=False)
        if number and len(line) < HEADING_MAX:
            level = 2 if "." not in number.group(1) else 3
            body.append(f"<h{level}>{text}</h{level}>")
        else:
            body.append(f"<p>{text}</p>")
    toc = [
        f'\t\t\t<li><a href="javascript:;">{html.escape(c, quote=False)}</a></li>' for c in contents
    ]
    page = template("cngeo_page.html").substitute(
        title=html.escape(title, quote=False),
        release=html.escape(release, quote=False),
        source=html.escape(source, quote=False),
        guide=html.escape(guide, quote=False),
        citation=html.escape(citation, quote=False),
        contents="\n".join(toc),
        body="\n".join(body),
    )
    data = page.encode("utf-8")
    headers = [
        ("Cache-Control", "private"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(data))),
        ("Server", "Microsoft-IIS/10.0"),
        ("X-AspNetMvc-Version", "5.2"),
        ("X-AspNet-Version", "4.0.30319"),
        ("X-Powered-By", "ASP.NET"),
    ]
    return Exchange(cfg["url"], "article_page", data, headers)


# --- assembling the archive ------------------------------------------------------------------


def read_seed(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").rstrip("\n").split("\n")


def build_exchanges(config: dict) -> tuple[list[Exchange], str]:
    """Every exchange to record, in archive order, and the WordPress cursor after a full crawl."""
    site, posts = config["site"], config["post"]
    contents: dict[int, str] = {}
    pages = []
    for post in posts:
        lines = read_seed(post["seed"])
        body, trailing = lines[: -post["page_only_lines"]], lines[-post["page_only_lines"] :]
        contents[post["id"]] = render_content(post, body)
        footer = trailing[0] if post.get("footer_as_in_seed") else site["footer"]
        pages.append(post_page(site, post, contents[post["id"]], footer))
    by_modified = sorted(posts, key=lambda p: local_and_gmt(p["modified"], site)[1])
    objects = [post_object(site, p, contents[p["id"]]) for p in by_modified]
    cursor = objects[-1]["modified_gmt"]
    exchanges = [
        robots(f"{site['base']}/robots.txt", WP_ROBOTS, "nginx"),
        api_exchange(site, objects, 1, 100),
        api_exchange(site, objects, 1, 2),
        api_exchange(site, objects, 2, 2),
        api_exchange(site, [], 1, 100, modified_after=cursor),
        rss_exchange(site, posts, contents),
        *pages,
        robots(f"{config['cngeo']['base']}/robots.txt", CNGEO_ROBOTS, "Microsoft-IIS/10.0"),
        cngeo_page(config["cngeo"], read_seed(config["cngeo"]["seed"])),
    ]
    return exchanges, cursor


def record_id(kind: str, url: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ' ' + url)}>"


def warc_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(exchanges: list[Exchange], out: io.BufferedIOBase) -> None:
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    info = (
        b"software: claimtrail scripts/build_samples.py (warcio)\r\n"
        b"format: WARC File Format 1.1\r\n"
        b"description: rendered sample of rareearthexchanges.com and en.cngeo.com for offline "
        b"tests; see samples/README.md\r\n"
    )
    warcinfo = writer.create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(info),
        length=len(info),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": record_id("warcinfo", WARC_NAME),
            "WARC-Date": warc_time(CRAWL_START),
            "WARC-Filename": WARC_NAME,
        },
    )
    writer.write_record(warcinfo)
    for index, exchange in enumerate(exchanges):
        when = CRAWL_START + timedelta(seconds=2 * index)
        headers = [("Date", http_date(when)), *exchange.headers]
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=StatusAndHeaders(exchange.status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={
                "WARC-Record-ID": record_id("response", exchange.url),
                "WARC-Date": warc_time(when),
            },
        )
        parts = urlsplit(exchange.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        request_headers = [
            ("Host", parts.netloc),
            ("User-Agent", USER_AGENT),
            ("Accept", "*/*"),
            ("Accept-Encoding", "identity"),
        ]
        request = writer.create_warc_record(
            exchange.url,
            "request",
            http_headers=StatusAndHeaders(
                f"GET {target} HTTP/1.1", request_headers, is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Record-ID": record_id("request", exchange.url),
                "WARC-Date": warc_time(when),
            },
        )
        writer.write_request_response_pair(request, response)


def manifest(exchanges: list[Exchange], cursor: str) -> dict:
    return {
        "warc": WARC_NAME,
        "wordpress": {
            "base_url": "https://rareearthexchanges.com",
            "final_cursor_modified_gmt": cursor,
        },
        "records": [
            {"url": x.url, "kind": x.kind, "status": int(x.status.split()[0]), **x.note}
            for x in exchanges
        ],
    }


def build(out_dir: Path) -> Path:
    """Write the WARC and its manifest into out_dir; returns the WARC's path."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    exchanges, cursor = build_exchanges(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    warc = out_dir / WARC_NAME
    with warc.open("wb") as out:
        write_warc(exchanges, out)
    text = json.dumps(manifest(exchanges, cursor), indent=2, ensure_ascii=False) + "\n"
    (out_dir / MANIFEST_NAME).write_text(text, encoding="utf-8")
    return warc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "samples")
    args = parser.parse_args()
    print(build(args.out))


if __name__ == "__main__":
    main()
