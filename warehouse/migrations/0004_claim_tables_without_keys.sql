-- claimtrail warehouse, version 4: the per-claim provenance tables lose their PRIMARY KEYs.
--
-- Why: provenance_edges (~80 rows per article), claim_entities (~45), claim_clusters and
-- verification_events (~28 each) grow into the millions. A DuckDB PRIMARY KEY is an ART index
-- that every insert probes and every checkpoint writes out again, so each load batch paid for
-- the size of the whole warehouse: on the 10k-article benchmark, loading took ~8 ms per article
-- and kept growing (385 s for 50k articles against 34 s for 10k). Without the indexes a batch
-- costs what it writes.
--
-- What replaces the keys: warehouse.provenance.load_claim_sets keeps every row unique itself.
-- It deletes a subject's rows before writing them again (edges, entity links), inserts cluster
-- rows only for claims that have none, and appends a verification event only when its id is new
-- and the claim's status changed. It looks rows up only for claims of articles that were already
-- stored (warehouse.load tells it which), so loading new articles never scans these tables.
-- `claims` and the article tables keep their keys (smaller, and tests write through them).
--
-- Each table is rebuilt (DuckDB cannot drop a constraint): create the new table, copy the rows,
-- drop the old one, rename. Views bind tables by name, so they keep working. Comments are
-- restated because they belong to the dropped table.

CREATE TABLE provenance_edges_v4 (
    edge_id VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    subject_kind VARCHAR NOT NULL,
    agent_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    url VARCHAR,
    run_id VARCHAR NOT NULL
);
INSERT INTO provenance_edges_v4 SELECT * FROM provenance_edges;
DROP TABLE provenance_edges;
ALTER TABLE provenance_edges_v4 RENAME TO provenance_edges;
COMMENT ON TABLE provenance_edges IS 'Provenance chains: for each claim (and article), the agents it passed through from the original asserter (position 0) to claimtrail''s fetch. One row per edge_id (kept unique by the loader, not by an index).';
COMMENT ON COLUMN provenance_edges.edge_id IS 'Stable id: hash of subject, position, role and agent.';
COMMENT ON COLUMN provenance_edges.subject_id IS 'claims.claim_id or articles.article_id.';
COMMENT ON COLUMN provenance_edges.subject_kind IS 'claim | article.';
COMMENT ON COLUMN provenance_edges.agent_id IS 'Agent (agents.agent_id).';
COMMENT ON COLUMN provenance_edges.role IS 'asserted | relayed | translated | mirrored | fetched.';
COMMENT ON COLUMN provenance_edges.position IS 'Place in the chain, 0 = original asserter, increasing towards claimtrail''s fetch.';
COMMENT ON COLUMN provenance_edges.url IS 'URL at this step: the original release (asserter), the page we fetched (publisher, fetch).';
COMMENT ON COLUMN provenance_edges.run_id IS 'Run that wrote the edge.';

CREATE TABLE claim_entities_v4 (
    claim_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL
);
INSERT INTO claim_entities_v4 SELECT * FROM claim_entities;
DROP TABLE claim_entities;
ALTER TABLE claim_entities_v4 RENAME TO claim_entities;
COMMENT ON TABLE claim_entities IS 'Which entities each claim names. One row per (claim_id, entity_id) (kept unique by the loader, not by an index).';
COMMENT ON COLUMN claim_entities.claim_id IS 'Claim (claims.claim_id).';
COMMENT ON COLUMN claim_entities.entity_id IS 'Entity named (entities.entity_id).';

CREATE TABLE verification_events_v4 (
    event_id VARCHAR NOT NULL,
    event_seq BIGINT NOT NULL DEFAULT nextval('verification_event_seq'),
    claim_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    evidence_url VARCHAR,
    note VARCHAR,
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    automatic BOOLEAN NOT NULL,
    run_id VARCHAR
);
INSERT INTO verification_events_v4 SELECT * FROM verification_events;
DROP TABLE verification_events;
ALTER TABLE verification_events_v4 RENAME TO verification_events;
COMMENT ON TABLE verification_events IS 'Append-only verification log. A claim''s status is derived: its latest analyst event, else its latest automatic event. Rows are never updated or deleted.';
COMMENT ON COLUMN verification_events.event_id IS 'Unique id of the event (random for analyst and corroboration events; hash of claim, status and run for the tagger''s, which the loader never appends twice).';
COMMENT ON COLUMN verification_events.event_seq IS 'Order in which events were appended (breaks ties of recorded_at).';
COMMENT ON COLUMN verification_events.claim_id IS 'Claim judged (claims.claim_id).';
COMMENT ON COLUMN verification_events.status IS 'unverified | corroborated | disputed | verified | refuted | not_checkable.';
COMMENT ON COLUMN verification_events.evidence_url IS 'Evidence for the status (the corroborating article, the analyst''s source).';
COMMENT ON COLUMN verification_events.note IS 'Reason for the status, in words.';
COMMENT ON COLUMN verification_events.recorded_by IS 'Analyst user name, or claimtrail:tagger / claimtrail:corroboration for automatic events.';
COMMENT ON COLUMN verification_events.recorded_at IS 'When the event was recorded (UTC).';
COMMENT ON COLUMN verification_events.automatic IS 'True for events written by the pipeline; analyst events (false) win over automatic ones.';
COMMENT ON COLUMN verification_events.run_id IS 'Run that wrote an automatic event (NULL for analyst verdicts).';

CREATE TABLE claim_clusters_v4 (
    claim_id VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO claim_clusters_v4 SELECT * FROM claim_clusters;
DROP TABLE claim_clusters;
ALTER TABLE claim_clusters_v4 RENAME TO claim_clusters;
COMMENT ON TABLE claim_clusters IS 'Near-duplicate and paraphrase clusters across articles (MinHash/LSH on content words), and each claim''s provenance root. Claims sharing a root never corroborate each other. One row per claim_id (kept unique by the loader, not by an index).';
COMMENT ON COLUMN claim_clusters.claim_id IS 'Claim (claims.claim_id).';
COMMENT ON COLUMN claim_clusters.cluster_id IS 'Smallest claim_id of the cluster (the claim''s own id when it matches nothing).';
COMMENT ON COLUMN claim_clusters.root IS 'Original release URL, or agent:<agent_id> of the original asserter: syndicated copies, mirrors and translations share it.';
COMMENT ON COLUMN claim_clusters.updated_at IS 'When clustering last wrote this row (UTC).';
