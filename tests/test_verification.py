"""Warehouse side: provenance tables, the append-only verification log, corroboration."""

import pytest

from tests.claims_fixtures import article, store, warehouse
from tests.seed_articles import seed_article, seed_source
from tests.test_warehouse_schema import CLAIMS_V
from transforms.model import Link, SourceProfile
from warehouse.provenance import (
    UnknownClaim,
    list_claims,
    record_verdict,
    refresh_corroboration,
    verification_history,
)

RELEASE = "http://www.minmetals.com/english/news/minmetalsnews/202602/t20260202_2.html"
MINING = SourceProfile("miningcom", "Mining.com", "independent_news", "Glacier Media", "CA")
SYNDICATOR = SourceProfile("metalwire", "Metal Wire", "independent_news", "unknown", "US")
HIGHLIGHT = "China Minmetals and CATL met in January to expand strategic cooperation."


def status(con, claim_id: str) -> str:
    rows = con.execute(
        "SELECT verification_status FROM claims_v WHERE claim_id = ?", [claim_id]
    ).fetchall()
    return rows[0][0]


def claim_id_of(con, text: str, source_id: str) -> str:
    return con.execute(
        "SELECT claim_id FROM claims_v WHERE text = ? AND source_id = ?", [text, source_id]
    ).fetchall()[0][0]


def independent_paraphrase():
    return (
        article(
            MINING,
            "https://www.mining.com/catl-minmetals-talks/",
            sections=(
                (
                    "",
                    (
                        "CATL and China Minmetals executives met in January in Ningde to expand "
                        "their strategic cooperation, people at both firms said.",
                    ),
                ),
            ),
        ),
        MINING,
    )


def syndicated_copy():
    """A verbatim copy of the release on another site: its header names the release."""
    return (
        article(
            SYNDICATOR,
            "https://metalwire.example/minmetals-catl/",
            sections=(("", (HIGHLIGHT,)),),
            links=(Link(RELEASE, "China Minmetals Corporation (opens in a new tab)"),),
            header={"source": "China Minmetals"},
        ),
        SYNDICATOR,
    )


@pytest.fixture
def con():
    connection = warehouse()
    yield connection
    connection.close()


def test_every_new_table_and_column_is_commented(con) -> None:
    for table in (
        "agents",
        "provenance_edges",
        "entities",
        "claim_entities",
        "verification_events",
        "claim_clusters",
    ):
        comment = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchall()[0][0]
        assert comment, table
        missing = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
            "AND (comment IS NULL OR comment = '')",
            [table],
        ).fetchall()
        assert missing == [], (table, missing)


def test_claims_v_keeps_the_skeleton_columns_and_adds_provenance(con) -> None:
    columns = [r[0] for r in con.execute("DESCRIBE claims_v").fetchall()]
    assert columns[: len(CLAIMS_V)] == CLAIMS_V
    assert {"hedge_cues", "attribution_chain", "entities", "cluster_id"} <= set(columns)


def test_loading_is_idempotent(con) -> None:
    items = [(seed_article(i), seed_source(i)) for i in (0, 1, 4)]
    store(con, items, run_id="run-1")
    counts = [
        con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("agents", "provenance_edges", "claim_entities", "verification_events")
    ]
    store(con, items, run_id="run-2")
    again = [
        con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("agents", "provenance_edges", "claim_entities", "verification_events")
    ]
    assert again == counts
    assert counts[3] == con.execute("SELECT count(*) FROM claims").fetchall()[0][0]


def test_chain_and_entities_in_the_analyst_view(con) -> None:
    store(con, [(seed_article(4), seed_source(4))])
    (row,) = list_claims(con, entity="David Holland")
    assert row["attribution_chain"][:2] == [
        "David Holland (asserted)",
        "Associated Press (relayed)",
    ]
    assert "Greenland" in row["entities"]
    assert list_claims(con, entity="China's Land and Resources Economics") == []


def test_syndicated_copy_never_corroborates(con) -> None:
    store(con, [(seed_article(1), seed_source(1)), syndicated_copy()])
    assert refresh_corroboration(con) == 0
    original = claim_id_of(con, HIGHLIGHT, "rareearthexchanges")
    copy = claim_id_of(con, HIGHLIGHT, "metalwire")
    clusters = dict(con.execute("SELECT claim_id, cluster_id FROM claim_clusters").fetchall())
    assert clusters[original] == clusters[copy]
    assert status(con, original) == "unverified"


def test_independent_paraphrase_corroborates(con) -> None:
    store(con, [(seed_article(1), seed_source(1)), independent_paraphrase()])
    assert refresh_corroboration(con) >= 1
    original = claim_id_of(con, HIGHLIGHT, "rareearthexchanges")
    assert status(con, original) == "corroborated"
    (row,) = con.execute(
        "SELECT evidence_url FROM claims_v WHERE claim_id = ?", [original]
    ).fetchall()
    assert row[0] == "https://www.mining.com/catl-minmetals-talks/"
    # The newsletter's own analysis is an opinion: agreement would not make it true.
    assert list_claims(con, status="corroborated", source="miningcom") == []
    # Rerunning neither the tagger nor corroboration grows the log.
    events = con.execute("SELECT count(*) FROM verification_events").fetchall()[0][0]
    store(con, [(seed_article(1), seed_source(1)), independent_paraphrase()], run_id="run-2")
    assert refresh_corroboration(con) == 0
    assert con.execute("SELECT count(*) FROM verification_events").fetchall()[0][0] == events
    assert status(con, original) == "corroborated"


def test_analyst_verdict_overrides_automatic_status_and_history_is_kept(con) -> None:
    store(con, [(seed_article(1), seed_source(1)), independent_paraphrase()])
    refresh_corroboration(con)
    original = claim_id_of(con, HIGHLIGHT, "rareearthexchanges")
    record_verdict(con, original, "disputed", "https://example.org/minutes", "dates differ", "ana")
    assert status(con, original) == "disputed"
    record_verdict(con, original, "verified", "https://example.org/filing", "filing seen", "bo")
    assert status(con, original) == "verified"
    # A later automatic event does not beat the analyst.
    refresh_corroboration(con)
    store(con, [(seed_article(1), seed_source(1))], run_id="run-3")
    assert status(con, original) == "verified"
    history = verification_history(con, original)
    assert [(h["status"], h["automatic"]) for h in history] == [
        ("unverified", True),
        ("corroborated", True),
        ("disputed", False),
        ("verified", False),
    ]
    assert history[-1]["recorded_by"] == "bo"


def test_verdict_errors_are_clear(con) -> None:
    store(con, [(seed_article(0), seed_source(0))])
    claim_id = con.execute("SELECT claim_id FROM claims LIMIT 1").fetchall()[0][0]
    with pytest.raises(UnknownClaim, match="no claim with id 'nope'"):
        record_verdict(con, "nope", "verified", None, "", "ana")
    with pytest.raises(ValueError, match="bad status 'true'"):
        record_verdict(con, claim_id, "true", None, "", "ana")
    with pytest.raises(ValueError, match="analyst"):
        record_verdict(con, claim_id, "verified", None, "", " ")


def test_list_claims_filters(con) -> None:
    store(con, [(seed_article(i), seed_source(i)) for i in range(5)])
    minmetals = list_claims(con, entity="Minmetals", limit=1000)
    assert minmetals and all("China Minmetals" in r["entities"] for r in minmetals)
    opinions = list_claims(con, status="not_checkable", source="cngeo", limit=1000)
    assert opinions and {r["source_id"] for r in opinions} == {"cngeo"}
    with pytest.raises(ValueError, match="bad status"):
        list_claims(con, status="true")


def test_same_root_never_corroborates_even_from_an_independent_class() -> None:
    from transforms.corroboration import ClaimForMatching, cluster, corroborations

    text = "China Minmetals and CATL met in Ningde in January to expand strategic cooperation."
    claims = [
        ClaimForMatching("a", text, "event", "soe_corporate", "agent:minmetals", "https://a"),
        ClaimForMatching("b", text, "event", "independent_news", "agent:minmetals", "https://b"),
    ]
    clusters = cluster(claims)
    assert clusters["a"] == clusters["b"]
    assert corroborations(claims, clusters) == []
    independent = [claims[0], ClaimForMatching("c", text, "event", "independent_news", "agent:x")]
    found = corroborations(independent, cluster(independent))
    assert [(f.claim_id, f.by_claim_id) for f in found] == [("a", "c")]


def test_cli_verify_and_claims(tmp_path, monkeypatch) -> None:
    import json

    import typer
    from typer.testing import CliRunner

    from flows.cli_claims import claims, verify
    from warehouse import db

    path = tmp_path / "w.duckdb"
    with db.writer(path) as connection:
        store(connection, [(seed_article(1), seed_source(1))])
        claim_id = claim_id_of(connection, HIGHLIGHT, "rareearthexchanges")
    app = typer.Typer()
    app.command()(verify)
    app.command()(claims)
    monkeypatch.setenv("USER", "analyst1")
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "verify",
            claim_id,
            "--status",
            "verified",
            "--evidence",
            "https://example.org/x",
            "--note",
            "seen",
            "--db",
            str(path),
        ],
    )
    assert done.exit_code == 0, done.output
    listed = runner.invoke(
        app, ["claims", "--status", "verified", "--format", "json", "--db", str(path)]
    )
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["claim_id"] for r in rows] == [claim_id]
    bad = runner.invoke(
        app,
        [
            "verify",
            "nope",
            "--status",
            "verified",
            "--evidence",
            "https://e.org",
            "--db",
            str(path),
        ],
    )
    assert bad.exit_code == 1
