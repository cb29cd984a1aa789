"""The source registry fails early and clearly, and the shipped entries are well formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.base import Window, extractor_for
from extractors.registry import SourceConfigError, load_sources, parse_sources, select_sources
from flows.serve import Schedule, find_or_start_server, load_schedule
from tests.mockserver import MockServer, Reply, mock_server

__all__ = ["mock_server"]

REPO = Path(__file__).resolve().parent.parent
SHIPPED = load_sources(REPO / "sources.toml")

ENTRY = """
[[source]]
id = "{id}"
name = "Example"
kind = "{kind}"
base_url = "https://example.com"
origin_class = "{origin}"
{extra}
"""


def _toml(*entries: dict[str, str]) -> str:
    defaults = {"id": "a", "kind": "rss", "origin": "state_media", "extra": ""}
    return "".join(ENTRY.format(**{**defaults, **e}) for e in entries)


def test_duplicate_id_fails_at_load() -> None:
    with pytest.raises(SourceConfigError, match="duplicate source id 'a'"):
        parse_sources(_toml({}, {}))


def test_unknown_kind_names_the_entry_and_the_known_kinds() -> None:
    with pytest.raises(SourceConfigError, match=r"source #1 \(a\).*unknown source kind 'atom2'"):
        parse_sources(_toml({"kind": "atom2"}))


def test_bad_origin_class_and_unknown_key() -> None:
    with pytest.raises(SourceConfigError, match="origin_class 'blog'"):
        parse_sources(_toml({"origin": "blog"}))
    with pytest.raises(SourceConfigError, match="unknown keys rate"):
        parse_sources(_toml({"extra": "rate = 3"}))


@pytest.mark.parametrize("value", ["-1", '"weekly"', "true"])
def test_recheck_days_must_be_a_number_of_days(value: str) -> None:
    with pytest.raises(SourceConfigError, match=r"source #1 \(a\): recheck_days must be"):
        parse_sources(_toml({"extra": f"recheck_days = {value}"}))
    [source] = parse_sources(_toml({"extra": "recheck_days = 7"}))
    assert source.recheck_days == 7.0
    assert parse_sources(_toml({}))[0].recheck_days is None


def test_unknown_source_id_on_the_command_line() -> None:
    with pytest.raises(SourceConfigError, match="unknown source id"):
        select_sources(SHIPPED, ["nope"])


def test_shipped_registry_has_the_promised_sources() -> None:
    ids = {s.id for s in SHIPPED}
    assert {
        "rareearthexchanges",
        "minmetals",
        "mofcom",
        "miit",
        "sasac",
        "xinhua",
        "chinadaily",
        "globaltimes",
        "cgtn",
        "peoplesdaily",
        "miningcom",
        "smm",
        "cngeo",
    } <= ids


@pytest.mark.parametrize("source", SHIPPED, ids=lambda s: s.id)
def test_shipped_source_is_well_formed(source) -> None:
    assert source.name and source.owner and source.country and source.notes
    assert source.rate_limit >= 1.0, "live sources are paced at least one second apart"
    assert not source.allow_private_network
    for key in ("url_pattern", "url_date_pattern"):
        if key in source.options:
            re.compile(source.options[key])
    if "url_date_pattern" in source.options:
        assert {"y", "m", "d"} <= set(re.compile(source.options["url_date_pattern"]).groupindex)
    requests = extractor_for(source.kind).start(source, Window())
    assert requests, "a source must have somewhere to start"
    for request in requests:
        assert source.allows(request.url), f"{request.url} is outside {source.allowed_domains}"


def test_shipped_schedule_and_defaults(tmp_path: Path) -> None:
    assert load_schedule(REPO / "sources.toml") == Schedule("0 6 * * *", "30 5 * * *", "UTC")
    bare = tmp_path / "s.toml"
    bare.write_text(_toml({}), encoding="utf-8")
    assert load_schedule(bare) == Schedule()
    bare.write_text("[schedule]\ndaily = '1 2 * * *'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown \\[schedule\\] keys daily"):
        load_schedule(bare)


def test_serve_finds_a_running_prefect_server(
    mock_server: MockServer, monkeypatch, tmp_path
) -> None:
    mock_server.route("/api/health", Reply(200, "true"))
    monkeypatch.setenv("PREFECT_API_URL", mock_server.url("/api"))
    choice = find_or_start_server(tmp_path / "server.log", wait=1)
    assert (choice.api_url, choice.how, choice.process) == (mock_server.url("/api"), "found", None)
    monkeypatch.setenv("PREFECT_API_URL", mock_server.url("/down/api"))
    with pytest.raises(RuntimeError, match="does not answer its health check"):
        find_or_start_server(tmp_path / "server.log", wait=1)
