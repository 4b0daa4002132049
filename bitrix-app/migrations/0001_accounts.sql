-- One row per portal (member_id) the application is installed on. Portable SQL: the same file
-- runs on SQLite and PostgreSQL. Times are Unix milliseconds.
CREATE TABLE bitrix_accounts (
    member_id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    client_endpoint TEXT NOT NULL,
    server_endpoint TEXT NOT NULL,
    -- new (install POST verified, no application token yet), active, blocked, deleted
    status TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    installed_by BIGINT,
    app_version BIGINT NOT NULL DEFAULT 0,
    access_token TEXT NOT NULL DEFAULT '',
    refresh_token TEXT NOT NULL DEFAULT '',
    expires_at BIGINT NOT NULL DEFAULT 0,
    application_token TEXT,
    -- ok, or renewal_failed (the last good pair is kept)
    token_state TEXT NOT NULL DEFAULT 'ok',
    renewal_error TEXT,
    -- who renews the pair right now, and until when the lease holds
    lease_owner TEXT,
    lease_until BIGINT,
    renewals BIGINT NOT NULL DEFAULT 0,
    installed_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Every domain a portal was seen under (a portal can be renamed; member_id stays).
CREATE TABLE bitrix_domains (
    member_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, domain)
);

-- The application's own settings and data per portal: removed on uninstall when CLEAN=1.
CREATE TABLE bitrix_portal_data (
    member_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (member_id, name)
);
