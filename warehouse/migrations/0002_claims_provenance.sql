-- claimtrail warehouse, version 2: agents and provenance chains, entities, the append-only
-- verification log, corroboration clusters; claims_v replaced (same columns first, new ones added).
-- Written by warehouse.provenance (load_claim_sets, refresh_corroboration, record_verdict).

CREATE TABLE agents (
    agent_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    origin_class VARCHAR,
    entity_id VARCHAR,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE agents IS 'Who asserted, relayed, translated, mirrored or fetched claims: organisations, people, outlets, and claimtrail itself (W3C PROV agents).';
COMMENT ON COLUMN agents.agent_id IS 'Stable id: hash of the gazetteer entity id, or of the name for agents the gazetteer does not know.';
COMMENT ON COLUMN agents.name IS 'Canonical name (the gazetteer name when known, so aliases are one agent).';
COMMENT ON COLUMN agents.kind IS 'organisation | person | outlet | research | government | pipeline | unknown.';
COMMENT ON COLUMN agents.origin_class IS 'Class of what this agent publishes (state_media, soe_corporate, newsletter, independent_news…), if known.';
COMMENT ON COLUMN agents.entity_id IS 'Gazetteer entity this agent is (entities.entity_id), if any.';
COMMENT ON COLUMN agents.updated_at IS 'When this row was last written (UTC).';

CREATE TABLE provenance_edges (
    edge_id VARCHAR PRIMARY KEY,
    subject_id VARCHAR NOT NULL,
    subject_kind VARCHAR NOT NULL,
    agent_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    url VARCHAR,
    run_id VARCHAR NOT NULL
);
COMMENT ON TABLE provenance_edges IS 'Provenance chains: for each claim (and article), the agents it passed through from the original asserter (position 0) to claimtrail''s fetch.';
COMMENT ON COLUMN provenance_edges.edge_id IS 'Stable id: hash of subject, position, role and agent.';
COMMENT ON COLUMN provenance_edges.subject_id IS 'claims.claim_id or articles.article_id.';
COMMENT ON COLUMN provenance_edges.subject_kind IS 'claim | article.';
COMMENT ON COLUMN provenance_edges.agent_id IS 'Agent (agents.agent_id).';
COMMENT ON COLUMN provenance_edges.role IS 'asserted | relayed | translated | mirrored | fetched.';
COMMENT ON COLUMN provenance_edges.position IS 'Place in the chain, 0 = original asserter, increasing towards claimtrail''s fetch.';
COMMENT ON COLUMN provenance_edges.url IS 'URL at this step: the original release (asserter), the page we fetched (publisher, fetch).';
COMMENT ON COLUMN provenance_edges.run_id IS 'Run that wrote the edge.';

CREATE TABLE entities (
    entity_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    aliases VARCHAR[],
    symbols VARCHAR[],
    parent_id VARCHAR,
    origin_class VARCHAR,
    note VARCHAR
);
COMMENT ON TABLE entities IS 'The curated gazetteer (transforms/data/gazetteer.toml): companies, SOEs, government bodies, research bodies, outlets, people, places, minerals.';
COMMENT ON COLUMN entities.entity_id IS 'Stable slug from the gazetteer (e.g. china-minmetals).';
COMMENT ON COLUMN entities.name IS 'Canonical English name.';
COMMENT ON COLUMN entities.type IS 'company | soe | government | research | outlet | person | place | mineral.';
COMMENT ON COLUMN entities.aliases IS 'Other names matched in text (e.g. the journal''s three English names).';
COMMENT ON COLUMN entities.symbols IS 'Chemical symbols of minerals (matched only in parentheses: "Co." is a company suffix).';
COMMENT ON COLUMN entities.parent_id IS 'Parent entity (subsidiary -> group, official -> body).';
COMMENT ON COLUMN entities.origin_class IS 'Class of releases this entity publishes, if it publishes.';
COMMENT ON COLUMN entities.note IS 'Why the entry exists and what it disambiguates.';

CREATE TABLE claim_entities (
    claim_id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    PRIMARY KEY (claim_id, entity_id)
);
COMMENT ON TABLE claim_entities IS 'Which entities each claim names.';
COMMENT ON COLUMN claim_entities.claim_id IS 'Claim (claims.claim_id).';
COMMENT ON COLUMN claim_entities.entity_id IS 'Entity named (entities.entity_id).';

CREATE SEQUENCE verification_event_seq;
CREATE TABLE verification_events (
    event_id VARCHAR PRIMARY KEY,
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
COMMENT ON TABLE verification_events IS 'Append-only verification log. A claim''s status is derived: its latest analyst event, else its latest automatic event. Rows are never updated or deleted.';
COMMENT ON COLUMN verification_events.event_id IS 'Unique id of the event.';
COMMENT ON COLUMN verification_events.event_seq IS 'Order in which events were appended (breaks ties of recorded_at).';
COMMENT ON COLUMN verification_events.claim_id IS 'Claim judged (claims.claim_id).';
COMMENT ON COLUMN verification_events.status IS 'unverified | corroborated | disputed | verified | refuted | not_checkable.';
COMMENT ON COLUMN verification_events.evidence_url IS 'Evidence for the status (the corroborating article, the analyst''s source).';
COMMENT ON COLUMN verification_events.note IS 'Reason for the status, in words.';
COMMENT ON COLUMN verification_events.recorded_by IS 'Analyst user name, or claimtrail:tagger / claimtrail:corroboration for automatic events.';
COMMENT ON COLUMN verification_events.recorded_at IS 'When the event was recorded (UTC).';
COMMENT ON COLUMN verification_events.automatic IS 'True for events written by the pipeline; analyst events (false) win over automatic ones.';
COMMENT ON COLUMN verification_events.run_id IS 'Run that wrote an automatic event (NULL for analyst verdicts).';

CREATE TABLE claim_clusters (
    claim_id VARCHAR PRIMARY KEY,
    cluster_id VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE claim_clusters IS 'Near-duplicate and paraphrase clusters across articles (MinHash/LSH on content words), and each claim''s provenance root. Claims sharing a root never corroborate each other.';
COMMENT ON COLUMN claim_clusters.claim_id IS 'Claim (claims.claim_id).';
COMMENT ON COLUMN claim_clusters.cluster_id IS 'Smallest claim_id of the cluster (the claim''s own id when it matches nothing).';
COMMENT ON COLUMN claim_clusters.root IS 'Original release URL, or agent:<agent_id> of the original asserter: syndicated copies, mirrors and translations share it.';
COMMENT ON COLUMN claim_clusters.updated_at IS 'When clustering last wrote this row (UTC).';

CREATE VIEW claim_status_v AS
SELECT
    c.claim_id,
    coalesce(analyst.status, auto.status, c.verification_status) AS verification_status,
    coalesce(analyst.note, auto.note, c.verification_reason) AS verification_reason,
    coalesce(analyst.evidence_url, auto.evidence_url) AS evidence_url,
    analyst.status IS NOT NULL AS analyst_verdict
FROM claims c
LEFT JOIN (
    SELECT claim_id, arg_max(status, event_seq) AS status, arg_max(note, event_seq) AS note,
           arg_max(evidence_url, event_seq) AS evidence_url
    FROM verification_events WHERE NOT automatic GROUP BY claim_id
) analyst ON analyst.claim_id = c.claim_id
LEFT JOIN (
    SELECT claim_id, arg_max(status, event_seq) AS status, arg_max(note, event_seq) AS note,
           arg_max(evidence_url, event_seq) AS evidence_url
    FROM verification_events WHERE automatic GROUP BY claim_id
) auto ON auto.claim_id = c.claim_id;
COMMENT ON VIEW claim_status_v IS 'Current verification status of each claim, derived from the log: latest analyst event, else latest automatic event, else the tagger''s status.';

CREATE OR REPLACE VIEW claims_v AS
SELECT
    c.claim_id,
    c.article_id,
    a.source_id,
    a.url,
    a.published_at,
    c.section,
    c.seq,
    c.text,
    c.claim_type,
    c.hedged,
    c.attributed_to,
    c.origin_url,
    c.origin_class,
    s.verification_status,
    s.verification_reason,
    c.hedge_cues,
    c.section_role,
    (
        SELECT list(ag.name || ' (' || e.role || ')' ORDER BY e.position)
        FROM provenance_edges e JOIN agents ag ON ag.agent_id = e.agent_id
        WHERE e.subject_id = c.claim_id
    ) AS attribution_chain,
    (
        SELECT list(en.name ORDER BY en.name)
        FROM claim_entities ce JOIN entities en ON en.entity_id = ce.entity_id
        WHERE ce.claim_id = c.claim_id
    ) AS entities,
    cl.cluster_id,
    s.evidence_url
FROM claims c
JOIN articles a ON a.article_id = c.article_id
JOIN claim_status_v s ON s.claim_id = c.claim_id
LEFT JOIN claim_clusters cl ON cl.claim_id = c.claim_id;
COMMENT ON VIEW claims_v IS 'Analyst view of claims with provenance chain, entities, cluster and the verification status derived from the log (stable contract: columns are only ever added).';
