-- claimtrail warehouse, version 6: raw bodies are stored without DuckDB compression.
--
-- Why: DuckDB compressed the body column with ZSTD in segments of up to hundreds of MB (1,727
-- API pages of ~280 KB each in one segment on the 50k-article benchmark). Reading any body,
-- even one, decompressed its whole segment: a reprocess needed a 512 MB allocation per read of
-- 100 documents (and failed under the write session's memory cap), and the cost grows with
-- the archive. Uncompressed, a body is read on its own (0.6 ms by id on the same data). The
-- price is disk: bodies take their full size (~0.5 GB for the 50k benchmark's 2,977 documents).
--
-- The table is rebuilt (a column's compression is fixed when it is created): create, copy,
-- drop, rename; the view that joins it binds by name. Comments are restated.

CREATE TABLE raw_documents_v6 (
    raw_id VARCHAR PRIMARY KEY,
    source_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    final_url VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    request_meta JSON,
    status INTEGER NOT NULL,
    headers JSON,
    fetched_at TIMESTAMPTZ NOT NULL,
    sha256 VARCHAR NOT NULL,
    body BLOB USING COMPRESSION uncompressed,
    error VARCHAR,
    error_detail VARCHAR
);
INSERT INTO raw_documents_v6 SELECT * FROM raw_documents;
DROP TABLE raw_documents;
ALTER TABLE raw_documents_v6 RENAME TO raw_documents;
COMMENT ON TABLE raw_documents IS 'Every HTTP exchange, good or bad, archived before parsing so that reprocess never needs the network.';
COMMENT ON COLUMN raw_documents.raw_id IS 'Stable id: hash of url, body hash and status (the same answer stored twice is one row).';
COMMENT ON COLUMN raw_documents.source_id IS 'Source whose extractor asked for it.';
COMMENT ON COLUMN raw_documents.run_id IS 'Run that first fetched it.';
COMMENT ON COLUMN raw_documents.url IS 'URL requested.';
COMMENT ON COLUMN raw_documents.final_url IS 'URL that answered, after redirects.';
COMMENT ON COLUMN raw_documents.role IS 'What the extractor expected: api_page, feed, listing, sitemap, article, robots, cdx…';
COMMENT ON COLUMN raw_documents.request_meta IS 'Hints carried with the request (page number, post id…), needed to re-read it.';
COMMENT ON COLUMN raw_documents.status IS 'HTTP status (0 when no response arrived).';
COMMENT ON COLUMN raw_documents.headers IS 'Response headers as JSON (lower-case names).';
COMMENT ON COLUMN raw_documents.fetched_at IS 'When the response arrived (UTC); for replayed archives, the recorded time.';
COMMENT ON COLUMN raw_documents.sha256 IS 'SHA-256 of the body bytes.';
COMMENT ON COLUMN raw_documents.body IS 'Body bytes exactly as received (decompressed), stored without DuckDB compression so that reading one document never decompresses its neighbours.';
COMMENT ON COLUMN raw_documents.error IS 'Reason code when the exchange failed (timeout, http_404, not_in_archive, robots_disallowed…).';
COMMENT ON COLUMN raw_documents.error_detail IS 'Human-readable detail of the failure.';
