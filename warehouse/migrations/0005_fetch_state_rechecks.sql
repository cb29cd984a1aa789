-- claimtrail warehouse, version 5: fetch_state also keeps rechecked article pages.
--
-- Why: a daily run used to fetch every page of a fixed page list (`pages` sources) again, one
-- request per page per day. Stored article pages are now fetched once, and asked again only
-- when their source sets `recheck_days`; those rechecks are conditional, like index pages, so
-- fetch_state now holds their validators too. No column changes; the comments say what it holds.
COMMENT ON TABLE fetch_state IS 'Per index URL (feed, sitemap, listing, API page) and per article page rechecked under a source''s recheck_days: validators for conditional GET and the hash of the last body, so an unchanged document costs one request and no parsing.';
COMMENT ON COLUMN fetch_state.role IS 'Role of the request (feed, sitemap, listing, api_page, or article for a rechecked page).';
