"""The recorded sample archive: reproducible from its generator, and faithful to the seed texts."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from warcio.archiveiterator import ArchiveIterator

from extractors.wordpress import api_url

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
WARC = SAMPLES / "sites.warc.gz"
BASE = "https://rareearthexchanges.com"


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "build_samples", REPO / "scripts/build_samples.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_samples"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def responses() -> dict[str, tuple[dict[str, str], bytes]]:
    """Every response record of the committed archive: URL -> (HTTP headers, body)."""
    found = {}
    with WARC.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                found[url] = (dict(record.http_headers.headers), record.content_stream().read())
    return found


def _squash(text: str) -> str:
    """Text without bullets, table pipes and whitespace, so markup boundaries don't matter."""
    text = re.sub(r"^- ", "", text)
    return re.sub(r"[\s|]+", "", text)


def _page_text(body: bytes) -> str:
    return _squash(lxml.html.document_fromstring(body.decode("utf-8")).text_content())


def _seed_lines(name: str) -> list[str]:
    text = (SAMPLES / "seeds" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_regenerating_gives_identical_bytes(tmp_path: Path) -> None:
    _load_generator().build(tmp_path)
    assert (tmp_path / "sites.warc.gz").read_bytes() == WARC.read_bytes()
    assert (tmp_path / "manifest.json").read_bytes() == (SAMPLES / "manifest.json").read_bytes()


def test_manifest_lists_exactly_the_recorded_urls(responses) -> None:
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    assert [r["url"] for r in manifest["records"]] == list(responses)


def test_every_seed_line_is_on_its_page(responses) -> None:
    generator = _load_generator()
    config = generator.tomllib.loads(generator.CONFIG.read_text(encoding="utf-8"))
    pages = {p["seed"]: f"{BASE}/news/{p['slug']}/" for p in config["post"]}
    pages[config["cngeo"]["seed"]] = config["cngeo"]["url"]
    assert len(pages) == 5
    for seed, url in pages.items():
        text = _page_text(responses[url][1])
        missing = [line for line in _seed_lines(seed) if _squash(line) not in text]
        assert not missing, (seed, missing)


def test_api_content_holds_the_seed_body(responses) -> None:
    """content.rendered carries the post body; only page widgets are left to the HTML page."""
    posts = json.loads(responses[api_url(BASE, page=1, per_page=100)][1])
    by_id = {post["id"]: post for post in posts}
    widgets = {"0Comments", "LeaveaReply", "Norepliesyet", "Loadingnewreplies...", "Moderator"}
    for seed, post_id in (("000", 41873), ("001", 47210), ("002", 30522), ("003", 44968)):
        (name,) = [p.name for p in (SAMPLES / "seeds").glob(f"{seed}_*.txt")]
        content = _page_text(by_id[post_id]["content"]["rendered"].encode())
        body = [line for line in _seed_lines(name) if _squash(line) not in widgets]
        body = [line for line in body if "Accelerating Transparency" not in line]
        body = [line for line in body if not line.startswith("Join the full discussion")]
        missing = [line for line in body if _squash(line) not in content]
        assert not missing, (seed, missing)


def test_api_pages_follow_wordpress(responses) -> None:
    headers, body = responses[api_url(BASE, page=1, per_page=100)]
    posts = json.loads(body)
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("4", "1")
    assert [p["modified_gmt"] for p in posts] == sorted(p["modified_gmt"] for p in posts)
    for post in posts:
        local, gmt = (datetime.fromisoformat(post[k]) for k in ("date", "date_gmt"))
        assert gmt - local == timedelta(hours=7)
        assert post["guid"]["rendered"] == f"{BASE}/?p={post['id']}"
        assert post["link"] == f"{BASE}/news/{post['slug']}/"
    assert {p["id"]: p["date"] for p in posts}[44968] == "2025-12-04T04:46:59"
    first = json.loads(responses[api_url(BASE, page=1, per_page=2)][1])
    second_headers, second = responses[api_url(BASE, page=2, per_page=2)]
    assert first + json.loads(second) == posts
    assert second_headers["X-WP-TotalPages"] == "2"
    assert 'rel="prev"' in second_headers["Link"]


def test_incremental_answer_is_empty_after_the_cursor(responses) -> None:
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    cursor = manifest["wordpress"]["final_cursor_modified_gmt"]
    posts = json.loads(responses[api_url(BASE, page=1, per_page=100)][1])
    assert cursor == max(p["modified_gmt"] for p in posts)
    headers, body = responses[api_url(BASE, page=1, per_page=100, modified_after=cursor)]
    assert json.loads(body) == []
    assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("0", "0")


def test_mojibake_of_seed_003_is_served_as_utf8(responses) -> None:
    _, body = responses[f"{BASE}/news/china-minmetals-ustb-rare-metals-strategic-cooperation/"]
    assert "ยฉ 2025 Rare Earth Exchangesโข".encode() in body
    assert "Chinaโs long-horizon".encode() in body


def test_links_sit_where_the_seed_says_opens_in_a_new_tab(responses) -> None:
    posts = json.loads(responses[api_url(BASE, page=1, per_page=100)][1])
    catl = {p["id"]: p for p in posts}[47210]["content"]["rendered"]
    root = lxml.html.fragment_fromstring(catl, create_parent="div")
    anchors = {a.text: a.get("href") for a in root.iter("a")}
    assert (
        anchors["Contemporary Amperex Technology Co. Limited (CATL)"] == "https://www.catl.com/en/"
    )
    assert anchors["China Minmetals Corporation"].startswith(
        "http://www.minmetals.com/english/news/minmetalsnews/202601/t20260130_"
    )
    assert catl.count('<span class="screen-reader-text">(opens in a new tab)</span>') == 2


def test_feed_uses_short_links_as_guids(responses) -> None:
    headers, body = responses[f"{BASE}/feed/"]
    assert headers["ETag"] and headers["Last-Modified"] == "Tue, 03 Feb 2026 14:31:09 GMT"
    assert b'<guid isPermaLink="false">https://rareearthexchanges.com/?p=47210</guid>' in body
    assert b"<pubDate>Thu, 04 Dec 2025 11:46:59 +0000</pubDate>" in body
