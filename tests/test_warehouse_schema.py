"""The warehouse contract: migrations, comments, analyst views."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import db, rows

ARTICLES_V = [
    "article_id",
    "source_id",
    "url",
    "title",
    "published_at",
    "language",
    "body_text",
    "highlights",
    "disclaimer",
    "n_claims",
    "fetched_at",
]
CLAIMS_V = [
    "claim_id",
    "article_id",
    "source_id",
    "url",
    "published_at",
    "section",
    "seq",
    "text",
    "claim_type",
    "hedged",
    "attributed_to",
    "origin_url",
    "origin_class",
    "verification_status",
    "verification_reason",
]


def test_migrations_apply_once_and_rerun_is_a_no_op(db_path: Path) -> None:
    with db.writer(db_path) as con:
        versions = [v for v, _ in db.migration_files()]
        assert [
            r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
        ] == versions
        assert db.migrate(con) == []
    with db.writer(db_path) as con:
        assert db.migrate(con) == []
        count = con.execute("SELECT count(*) FROM schema_migrations").fetchall()[0][0]
    assert count == len(versions)


def test_every_table_column_and_view_is_documented(db_path: Path) -> None:
    with db.writer(db_path) as con:
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR comment = ''"
        ).fetchall()
        views = con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal "
            "AND (comment IS NULL OR comment = '')"
        ).fetchall()
        columns = con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
            "JOIN duckdb_tables() t ON t.table_name = c.table_name "
            "WHERE c.comment IS NULL OR c.comment = ''"
        ).fetchall()
    assert tables == []
    assert views == []
    assert columns == []


@pytest.mark.parametrize(("view", "expected"), [("articles_v", ARTICLES_V), ("claims_v", CLAIMS_V)])
def test_analyst_views_keep_their_contract_columns(
    db_path: Path, view: str, expected: list[str]
) -> None:
    with db.writer(db_path) as con:
        cursor = con.execute(f"SELECT * FROM {view} LIMIT 0")
        columns = [d[0] for d in cursor.description]
        cursor.fetchall()
    assert columns[: len(expected)] == expected or set(expected) <= set(columns)


def test_read_only_connection_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="claimtrail demo"):
        db.connect(tmp_path / "nope.duckdb", read_only=True)


def test_second_process_lock_gives_a_clear_message(db_path: Path) -> None:
    import subprocess
    import sys

    with db.writer(db_path):
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from warehouse import db\ndb.connect({str(db_path)!r}, read_only=True, wait=0.3)",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert probe.returncode != 0
    assert "is in use by process" in probe.stderr


def test_raw_bodies_are_stored_uncompressed_so_one_is_read_alone(db_path: Path) -> None:
    """DuckDB's ZSTD put hundreds of MB of bodies in one segment, decompressed whole for any
    read: reprocess could not read a body under the write session's memory cap."""
    page = b'{"content": "<p>China Minmetals said it will build a plant.</p>"}' * 4000
    with db.writer(db_path) as con:
        con.execute(
            "INSERT INTO raw_documents SELECT 'r' || i, 's', 'run', 'u' || i, 'u' || i, "
            "'api_page', '{}', 200, '{}', now(), 'sha', ?::BLOB || i::VARCHAR::BLOB, NULL, NULL "
            "FROM range(300) t(i)",
            [page],
        )
        con.execute("CHECKPOINT")
        used = {
            row[0]
            for row in con.execute(
                "SELECT compression FROM pragma_storage_info('raw_documents') "
                "WHERE column_name = 'body' AND segment_type = 'BLOB'"
            ).fetchall()
        }
    assert used == {"Uncompressed"}
    with db.connect(db_path, read_only=True) as con:
        con.execute("SET memory_limit = '64MB'")  # 300 bodies of 260 KB: 78 MB in all
        [(body,)] = con.execute("SELECT body FROM raw_documents WHERE raw_id = 'r7'").fetchall()
    assert body == page + b"7"


@pytest.mark.parametrize(
    ("schema", "table", "added_by_the_loader"),
    [
        (rows.ARTICLES, "articles", {"run_id", "code_version", "first_seen_at", "updated_at"}),
        (rows.REPAIRS, "article_repairs", set()),
        (rows.CLAIMS, "claims", {"run_id", "tagger_version"}),
        (rows.AGENTS, "agents", {"updated_at"}),
        (rows.EDGES, "provenance_edges", {"edge_id", "run_id"}),
        (rows.CLAIM_ENTITIES, "claim_entities", set()),
        (rows.ROOTS, "claim_clusters", {"cluster_id", "updated_at"}),
    ],
)
def test_worker_rows_cover_every_column_of_their_table(
    db_path: Path, schema, table: str, added_by_the_loader: set[str]
) -> None:
    """The workers' Arrow tables are loaded BY NAME: a column a migration adds but rows.py does
    not fill would stay NULL without an error, so the two must not drift apart."""
    with db.connect(db_path) as con:
        columns = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
            ).fetchall()
        }
    assert (set(schema.names) - {"item"}) | added_by_the_loader == columns
