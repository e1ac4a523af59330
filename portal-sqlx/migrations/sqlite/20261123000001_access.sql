-- Organizations, customers, contacts, portal access, sessions and the email outbox.
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC), so they compare
-- exactly and in order; ids are 16-byte UUID blobs; JSON documents are TEXT.

CREATE TABLE portal_orgs (
    id               BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name             TEXT    NOT NULL,
    slug             TEXT    NOT NULL CONSTRAINT portal_orgs_slug_key UNIQUE
                             CHECK (length(slug) BETWEEN 3 AND 63 AND slug NOT GLOB '*[^a-z0-9-]*'),
    settings         TEXT    NOT NULL CHECK (json_valid(settings)),
    roles            TEXT    NOT NULL CHECK (json_valid(roles)),
    portal_user_cap  INTEGER NOT NULL CHECK (portal_user_cap >= 0),
    created_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL
) STRICT;

CREATE TABLE portal_customers (
    id                       BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id                   BLOB    NOT NULL REFERENCES portal_orgs (id),
    display_name             TEXT    NOT NULL,
    company_name             TEXT    NOT NULL,
    currency                 TEXT    NOT NULL CHECK (length(currency) = 3),
    billing_address          TEXT    NOT NULL CHECK (json_valid(billing_address)),
    shipping_address         TEXT    NOT NULL CHECK (json_valid(shipping_address)),
    may_pay_by_bank_account  INTEGER NOT NULL CHECK (may_pay_by_bank_account IN (0, 1)),
    created_at               INTEGER NOT NULL,
    deleted_at               INTEGER,
    version                  INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_customers_org ON portal_customers (org_id, id);

CREATE TABLE portal_contacts (
    id             BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id         BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id    BLOB    NOT NULL REFERENCES portal_customers (id),
    first_name     TEXT    NOT NULL,
    last_name      TEXT    NOT NULL,
    email          TEXT,
    phone          TEXT    NOT NULL,
    is_primary     INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
    portal_status  TEXT    NOT NULL
                   CHECK (portal_status IN ('not_invited', 'invited', 'active', 'disabled')),
    role_id        BLOB,
    password_hash  TEXT,
    preferences    TEXT CHECK (preferences IS NULL OR json_valid(preferences)),
    created_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    version        INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX portal_contacts_live_email
    ON portal_contacts (org_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX portal_contacts_customer ON portal_contacts (org_id, customer_id, id);
CREATE INDEX portal_contacts_portal_users
    ON portal_contacts (org_id)
    WHERE deleted_at IS NULL AND portal_status IN ('invited', 'active');

CREATE TABLE portal_access_tokens (
    id          BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id      BLOB    NOT NULL REFERENCES portal_orgs (id),
    contact_id  BLOB    NOT NULL REFERENCES portal_contacts (id),
    purpose     TEXT    NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    hash        BLOB    NOT NULL CONSTRAINT portal_access_tokens_hash_key UNIQUE
                        CHECK (length(hash) = 32),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_access_tokens_contact ON portal_access_tokens (contact_id, purpose);

CREATE TABLE portal_sessions (
    id            BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    token_hash    BLOB    NOT NULL CONSTRAINT portal_sessions_token_hash_key UNIQUE
                          CHECK (length(token_hash) = 32),
    org_id        BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id   BLOB    NOT NULL REFERENCES portal_customers (id),
    contact_id    BLOB    NOT NULL REFERENCES portal_contacts (id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_sessions_contact ON portal_sessions (contact_id);
CREATE INDEX portal_sessions_customer ON portal_sessions (org_id, customer_id);

CREATE TABLE portal_sign_in_failures (
    org_id     BLOB    NOT NULL REFERENCES portal_orgs (id),
    email      TEXT    NOT NULL,
    failed_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_sign_in_failures_key ON portal_sign_in_failures (org_id, email, failed_at);

CREATE TABLE portal_outbox (
    id               BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id           BLOB    NOT NULL REFERENCES portal_orgs (id),
    kind             TEXT    NOT NULL
                     CHECK (kind IN ('invitation', 'password_reset', 'org_notification', 'customer_notification')),
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'rejected')),
    attempts         INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
) STRICT;
CREATE INDEX portal_outbox_due ON portal_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX portal_outbox_org_pending ON portal_outbox (org_id, created_at, id) WHERE status = 'pending';
