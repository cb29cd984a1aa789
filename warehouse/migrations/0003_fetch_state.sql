-- Fetch state: what polite incremental fetching remembers between runs, committed in the same
-- transaction as the batch it describes (a crash never leaves state ahead of the data).

CREATE TABLE fetch_state (
    url VARCHAR PRIMARY KEY,
    source_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    body_sha256 VARCHAR,
    status INTEGER NOT NULL,
    last_fetched_at TIMESTAMPTZ NOT NULL,
    last_changed_at TIMESTAMPTZ,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE fetch_state IS 'Per index URL (feed, sitemap, listing, API page): validators for conditional GET and the hash of the last body, so an unchanged index costs one request and no parsing.';
COMMENT ON COLUMN fetch_state.url IS 'URL requested.';
COMMENT ON COLUMN fetch_state.source_id IS 'Source whose extractor asked for it.';
COMMENT ON COLUMN fetch_state.role IS 'Role of the request (feed, sitemap, listing, api_page…).';
COMMENT ON COLUMN fetch_state.etag IS 'ETag of the last 200 answer, sent back as If-None-Match.';
COMMENT ON COLUMN fetch_state.last_modified IS 'Last-Modified of the last 200 answer, sent back as If-Modified-Since.';
COMMENT ON COLUMN fetch_state.body_sha256 IS 'SHA-256 of the last 200 body: the same hash again means nothing to parse.';
COMMENT ON COLUMN fetch_state.status IS 'HTTP status of the last exchange (304 when the server said nothing changed).';
COMMENT ON COLUMN fetch_state.last_fetched_at IS 'When the URL was last requested (UTC).';
COMMENT ON COLUMN fetch_state.last_changed_at IS 'When its body last changed (UTC).';
COMMENT ON COLUMN fetch_state.run_id IS 'Run that last requested it.';

CREATE TABLE backfill_checkpoints (
    backfill_id VARCHAR PRIMARY KEY,
    source_id VARCHAR NOT NULL,
    since TIMESTAMPTZ,
    "until" TIMESTAMPTZ,
    frontier JSON NOT NULL,
    requested VARCHAR[] NOT NULL,
    pages INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE backfill_checkpoints IS 'Progress of each backfill range per source, saved with every page''s batch, so a crashed or interrupted backfill resumes where it stopped.';
COMMENT ON COLUMN backfill_checkpoints.backfill_id IS 'Stable id: hash of source id and the half-open range [since, until).';
COMMENT ON COLUMN backfill_checkpoints.source_id IS 'Source being backfilled.';
COMMENT ON COLUMN backfill_checkpoints.since IS 'Start of the range (inclusive, UTC); NULL for open.';
COMMENT ON COLUMN backfill_checkpoints."until" IS 'End of the range (exclusive, UTC); NULL for open.';
COMMENT ON COLUMN backfill_checkpoints.frontier IS 'Requests still to fetch, as JSON [{url, role, meta}], in order.';
COMMENT ON COLUMN backfill_checkpoints.requested IS 'URLs already fetched and loaded in this range.';
COMMENT ON COLUMN backfill_checkpoints.pages IS 'Documents fetched and loaded so far.';
COMMENT ON COLUMN backfill_checkpoints.status IS 'running | done.';
COMMENT ON COLUMN backfill_checkpoints.run_id IS 'Run that last advanced it.';
COMMENT ON COLUMN backfill_checkpoints.started_at IS 'When the range was first started (UTC).';
COMMENT ON COLUMN backfill_checkpoints.updated_at IS 'When the checkpoint was last saved (UTC).';
