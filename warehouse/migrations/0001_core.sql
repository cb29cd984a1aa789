-- claimtrail warehouse, version 1: sources, runs, raw documents, articles, claims, quarantine.
-- Applied once, in its own transaction, by warehouse.migrate; recorded in schema_migrations.

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    base_url VARCHAR,
    language VARCHAR,
    country VARCHAR,
    owner VARCHAR,
    origin_class VARCHAR NOT NULL,
    config JSON,
    daily_cursor VARCHAR,
    cursor_updated_at TIMESTAMPTZ,
    last_run_id VARCHAR,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE sources IS 'One row per configured source (from sources.toml), with its daily-run cursor. The cursor is committed in the same transaction as the data it covers.';
COMMENT ON COLUMN sources.source_id IS 'Stable id from sources.toml (e.g. rareearthexchanges).';
COMMENT ON COLUMN sources.name IS 'Human-readable name of the source.';
COMMENT ON COLUMN sources.kind IS 'Extractor kind that reads it (wordpress, rss, sitemap, html_listing, pages, wayback, warc).';
COMMENT ON COLUMN sources.base_url IS 'Root URL of the site.';
COMMENT ON COLUMN sources.language IS 'Main language of the source (BCP 47, e.g. en, zh).';
COMMENT ON COLUMN sources.country IS 'Country of the owner (ISO 3166 alpha-2).';
COMMENT ON COLUMN sources.owner IS 'Who owns or runs the source (e.g. China Media Group, private US newsletter).';
COMMENT ON COLUMN sources.origin_class IS 'official_primary | soe_corporate | state_media | state_affiliated_research | newsletter | independent_news | price_agency.';
COMMENT ON COLUMN sources.config IS 'The source''s full sources.toml entry as JSON, as last loaded.';
COMMENT ON COLUMN sources.daily_cursor IS 'Position the daily run resumes from (e.g. newest modified_gmt seen); backfills never move it.';
COMMENT ON COLUMN sources.cursor_updated_at IS 'When daily_cursor last moved.';
COMMENT ON COLUMN sources.last_run_id IS 'The run that last visited this source.';
COMMENT ON COLUMN sources.updated_at IS 'When this row was last written.';

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    run_kind VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    source_ids VARCHAR[],
    params JSON,
    requests INTEGER DEFAULT 0,
    fetched INTEGER DEFAULT 0,
    new_articles INTEGER DEFAULT 0,
    updated_articles INTEGER DEFAULT 0,
    quarantined INTEGER DEFAULT 0,
    claims INTEGER DEFAULT 0,
    error VARCHAR
);
COMMENT ON TABLE runs IS 'One row per pipeline run (daily, backfill, reprocess, demo): what it did and with which code.';
COMMENT ON COLUMN runs.run_id IS 'Unique id of the run (time-ordered).';
COMMENT ON COLUMN runs.run_kind IS 'daily | backfill | reprocess | demo.';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL while running or after a crash.';
COMMENT ON COLUMN runs.status IS 'running | succeeded | failed.';
COMMENT ON COLUMN runs.code_version IS 'claimtrail version and git commit that ran (provenance of every row it wrote).';
COMMENT ON COLUMN runs.source_ids IS 'Sources the run visited.';
COMMENT ON COLUMN runs.params IS 'Run parameters (date range, replay archives, options) as JSON.';
COMMENT ON COLUMN runs.requests IS 'HTTP requests made (or answered from a replay archive).';
COMMENT ON COLUMN runs.fetched IS 'Raw documents stored.';
COMMENT ON COLUMN runs.new_articles IS 'Articles seen for the first time.';
COMMENT ON COLUMN runs.updated_articles IS 'Known articles whose content changed (a new version).';
COMMENT ON COLUMN runs.quarantined IS 'Quarantine rows written or re-seen.';
COMMENT ON COLUMN runs.claims IS 'Claims written for new or changed articles.';
COMMENT ON COLUMN runs.error IS 'Why the run failed, if it did.';

CREATE TABLE raw_documents (
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
    body BLOB,
    error VARCHAR,
    error_detail VARCHAR
);
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
COMMENT ON COLUMN raw_documents.body IS 'Body bytes exactly as received (decompressed).';
COMMENT ON COLUMN raw_documents.error IS 'Reason code when the exchange failed (timeout, http_404, not_in_archive, robots_disallowed…).';
COMMENT ON COLUMN raw_documents.error_detail IS 'Human-readable detail of the failure.';

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    version_id VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMPTZ,
    modified_at TIMESTAMPTZ,
    language VARCHAR,
    body_text VARCHAR,
    highlights VARCHAR[],
    disclaimers VARCHAR[],
    sections JSON,
    links JSON,
    header JSON,
    debris VARCHAR[],
    removed JSON,
    external_id VARCHAR,
    author VARCHAR,
    extraction_method VARCHAR,
    raw_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE articles IS 'Current version of every article: repaired text and structure. Older versions are in article_versions.';
COMMENT ON COLUMN articles.article_id IS 'Stable id: hash of source id and canonical URL.';
COMMENT ON COLUMN articles.version_id IS 'Hash of the repaired content; changes when the article''s text changes.';
COMMENT ON COLUMN articles.source_id IS 'Source it came from.';
COMMENT ON COLUMN articles.url IS 'Canonical URL.';
COMMENT ON COLUMN articles.title IS 'Title, repaired.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC) as the source states it.';
COMMENT ON COLUMN articles.modified_at IS 'Last modification time (UTC) as the source states it.';
COMMENT ON COLUMN articles.language IS 'Language of the text (BCP 47).';
COMMENT ON COLUMN articles.body_text IS 'Repaired body without boilerplate: headings and paragraphs, one per line.';
COMMENT ON COLUMN articles.highlights IS 'The article''s Highlights bullet list, if any.';
COMMENT ON COLUMN articles.disclaimers IS 'Disclaimer paragraphs (e.g. based on Chinese state-owned media, not independently verified).';
COMMENT ON COLUMN articles.sections IS 'Sections as JSON: [{heading, paragraphs[]}].';
COMMENT ON COLUMN articles.links IS 'Outbound links as JSON: [{url, text}] (links to original releases are provenance).';
COMMENT ON COLUMN articles.header IS 'Page-header metadata of CMS mirrors (release_time, source, guide, citation) as JSON.';
COMMENT ON COLUMN articles.debris IS 'Machine-translation debris flagged in the text (kept, not deleted).';
COMMENT ON COLUMN articles.removed IS 'Boilerplate removed, as JSON: [{rule, text}].';
COMMENT ON COLUMN articles.external_id IS 'The source''s own id (WordPress post id, feed guid).';
COMMENT ON COLUMN articles.author IS 'Byline, if stated.';
COMMENT ON COLUMN articles.extraction_method IS 'How the body was found: wp-api, feed, selectors, trafilatura.';
COMMENT ON COLUMN articles.raw_id IS 'Raw document this version was parsed from.';
COMMENT ON COLUMN articles.run_id IS 'Run that wrote this version.';
COMMENT ON COLUMN articles.code_version IS 'claimtrail version that parsed and repaired it.';
COMMENT ON COLUMN articles.first_seen_at IS 'When claimtrail first stored this article (UTC).';
COMMENT ON COLUMN articles.updated_at IS 'When this row was last written (UTC).';

CREATE TABLE article_versions (
    article_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    raw_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    title VARCHAR,
    body_text VARCHAR,
    seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, version_id)
);
COMMENT ON TABLE article_versions IS 'Every distinct version of every article: a changed article is a new version, never a duplicate article.';
COMMENT ON COLUMN article_versions.article_id IS 'Article (articles.article_id).';
COMMENT ON COLUMN article_versions.version_id IS 'Hash of the repaired content of this version.';
COMMENT ON COLUMN article_versions.raw_id IS 'Raw document the version was first parsed from.';
COMMENT ON COLUMN article_versions.run_id IS 'Run that first saw the version.';
COMMENT ON COLUMN article_versions.title IS 'Title of this version.';
COMMENT ON COLUMN article_versions.body_text IS 'Body of this version.';
COMMENT ON COLUMN article_versions.seen_at IS 'When the version was first stored (UTC).';

CREATE TABLE article_repairs (
    article_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    before VARCHAR NOT NULL,
    after VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    PRIMARY KEY (article_id, version_id, seq)
);
COMMENT ON TABLE article_repairs IS 'Every change text repair made to an article version, so analysts can see what was altered and why.';
COMMENT ON COLUMN article_repairs.article_id IS 'Article repaired.';
COMMENT ON COLUMN article_repairs.version_id IS 'Version repaired.';
COMMENT ON COLUMN article_repairs.seq IS 'Order of the change within the version.';
COMMENT ON COLUMN article_repairs."offset" IS 'Character offset of the change in the decoded document before repair.';
COMMENT ON COLUMN article_repairs.before IS 'Text before repair.';
COMMENT ON COLUMN article_repairs.after IS 'Text after repair.';
COMMENT ON COLUMN article_repairs.rule IS 'Repair rule that made the change (e.g. thai_lossy, thai_cp1252, ftfy, fullwidth).';
COMMENT ON COLUMN article_repairs.confidence IS 'Confidence of the change, 0..1 (1 for exactly reversible damage).';

CREATE TABLE claims (
    claim_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    section VARCHAR,
    section_role VARCHAR,
    text VARCHAR NOT NULL,
    claim_type VARCHAR,
    hedged BOOLEAN,
    hedge_cues VARCHAR[],
    attributed_to VARCHAR,
    origin_url VARCHAR,
    origin_class VARCHAR,
    verification_status VARCHAR NOT NULL,
    verification_reason VARCHAR,
    entities VARCHAR[],
    run_id VARCHAR NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE claims IS 'Claims of the current version of each article, as the tagger found them (automatic status; analyst verdicts live in the verification log).';
COMMENT ON COLUMN claims.claim_id IS 'Stable id: hash of article id, claim text and its occurrence.';
COMMENT ON COLUMN claims.article_id IS 'Article the claim is in.';
COMMENT ON COLUMN claims.version_id IS 'Article version the claim was tagged from.';
COMMENT ON COLUMN claims.seq IS 'Position of the claim in the article (0-based).';
COMMENT ON COLUMN claims.section IS 'Heading of the section it is in ('''' for the lead).';
COMMENT ON COLUMN claims.section_role IS 'highlights | reported_news | analysis | outlook | profile | disclaimer.';
COMMENT ON COLUMN claims.text IS 'The claim''s sentence, repaired.';
COMMENT ON COLUMN claims.claim_type IS 'event | statistic | quote | analysis | forecast | recommendation.';
COMMENT ON COLUMN claims.hedged IS 'True when the sentence carries a hedge cue (may, likely, reportedly…).';
COMMENT ON COLUMN claims.hedge_cues IS 'The hedge cues found.';
COMMENT ON COLUMN claims.attributed_to IS 'Who asserted it (original asserter, e.g. China Minmetals, David Holland).';
COMMENT ON COLUMN claims.origin_url IS 'URL of the original release, when the article links to it.';
COMMENT ON COLUMN claims.origin_class IS 'Origin class of the original asserter (state_media, newsletter…).';
COMMENT ON COLUMN claims.verification_status IS 'Automatic status at tagging time: unverified | corroborated | not_checkable…';
COMMENT ON COLUMN claims.verification_reason IS 'Why it has that status.';
COMMENT ON COLUMN claims.entities IS 'Entity ids mentioned in the claim.';
COMMENT ON COLUMN claims.run_id IS 'Run that tagged it.';
COMMENT ON COLUMN claims.tagger_version IS 'Version of the claim tagger that produced it.';

CREATE TABLE quarantine (
    quarantine_id VARCHAR PRIMARY KEY,
    source_id VARCHAR,
    stage VARCHAR NOT NULL,
    url VARCHAR,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    raw_id VARCHAR,
    run_id VARCHAR NOT NULL,
    first_run_id VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    occurrences INTEGER NOT NULL
);
COMMENT ON TABLE quarantine IS 'Inputs that could not be used, with the reason: nothing is silently dropped. A problem seen again is counted, not duplicated.';
COMMENT ON COLUMN quarantine.quarantine_id IS 'Stable id: hash of source, stage, url and reason.';
COMMENT ON COLUMN quarantine.source_id IS 'Source concerned.';
COMMENT ON COLUMN quarantine.stage IS 'Stage that refused it: fetch | parse | transform | load.';
COMMENT ON COLUMN quarantine.url IS 'URL concerned.';
COMMENT ON COLUMN quarantine.reason IS 'Reason code (not_in_archive, http_404, timeout, robots_disallowed, body_too_large, parse_error…).';
COMMENT ON COLUMN quarantine.detail IS 'Human-readable detail (latest occurrence).';
COMMENT ON COLUMN quarantine.raw_id IS 'Raw document concerned, if one was stored.';
COMMENT ON COLUMN quarantine.run_id IS 'Run that last saw the problem.';
COMMENT ON COLUMN quarantine.first_run_id IS 'Run that first saw the problem.';
COMMENT ON COLUMN quarantine.first_seen_at IS 'When the problem was first seen (UTC).';
COMMENT ON COLUMN quarantine.last_seen_at IS 'When the problem was last seen (UTC).';
COMMENT ON COLUMN quarantine.occurrences IS 'How many runs have seen it.';

CREATE VIEW articles_v AS
SELECT
    a.article_id,
    a.source_id,
    a.url,
    a.title,
    a.published_at,
    a.language,
    a.body_text,
    a.highlights,
    array_to_string(a.disclaimers, chr(10)) AS disclaimer,
    (SELECT count(*) FROM claims c WHERE c.article_id = a.article_id) AS n_claims,
    r.fetched_at
FROM articles a
LEFT JOIN raw_documents r ON r.raw_id = a.raw_id;
COMMENT ON VIEW articles_v IS 'Analyst view of articles (stable contract: columns are only ever added).';

CREATE VIEW claims_v AS
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
    c.verification_status,
    c.verification_reason
FROM claims c
JOIN articles a ON a.article_id = c.article_id;
COMMENT ON VIEW claims_v IS 'Analyst view of claims with provenance and verification status (stable contract: columns are only ever added).';
