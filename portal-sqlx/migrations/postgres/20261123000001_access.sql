-- Organizations, customers, contacts, portal access, sessions and the email outbox.
-- Every table is prefixed portal_ so the schema can live beside the host app's own.

CREATE TABLE portal_orgs (
    id               uuid PRIMARY KEY,
    name             text        NOT NULL,
    slug             text        NOT NULL CONSTRAINT portal_orgs_slug_key UNIQUE
                                 CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{1,61})[a-z0-9]$'),
    settings         jsonb       NOT NULL,
    roles            jsonb       NOT NULL,
    portal_user_cap  bigint      NOT NULL CHECK (portal_user_cap >= 0),
    created_at       timestamptz NOT NULL,
    version          bigint      NOT NULL
);

CREATE TABLE portal_customers (
    id                       uuid PRIMARY KEY,
    org_id                   uuid        NOT NULL REFERENCES portal_orgs (id),
    display_name             text        NOT NULL,
    company_name             text        NOT NULL,
    currency                 char(3)     NOT NULL,
    billing_address          jsonb       NOT NULL,
    shipping_address         jsonb       NOT NULL,
    may_pay_by_bank_account  boolean     NOT NULL,
    created_at               timestamptz NOT NULL,
    deleted_at               timestamptz,
    version                  bigint      NOT NULL
);
CREATE INDEX portal_customers_org ON portal_customers (org_id, id);

CREATE TABLE portal_contacts (
    id             uuid PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id    uuid        NOT NULL REFERENCES portal_customers (id),
    first_name     text        NOT NULL,
    last_name      text        NOT NULL,
    email          text,
    phone          text        NOT NULL,
    is_primary     boolean     NOT NULL,
    portal_status  text        NOT NULL
                   CHECK (portal_status IN ('not_invited', 'invited', 'active', 'disabled')),
    role_id        uuid,
    password_hash  text,
    preferences    jsonb,
    created_at     timestamptz NOT NULL,
    deleted_at     timestamptz,
    version        bigint      NOT NULL
);
-- One live contact per email in an organization: sign-in is by (portal, email).
CREATE UNIQUE INDEX portal_contacts_live_email
    ON portal_contacts (org_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX portal_contacts_customer ON portal_contacts (org_id, customer_id, id);
CREATE INDEX portal_contacts_portal_users
    ON portal_contacts (org_id)
    WHERE deleted_at IS NULL AND portal_status IN ('invited', 'active');

CREATE TABLE portal_access_tokens (
    id          uuid PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES portal_orgs (id),
    contact_id  uuid        NOT NULL REFERENCES portal_contacts (id),
    purpose     text        NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    hash        bytea       NOT NULL CONSTRAINT portal_access_tokens_hash_key UNIQUE
                            CHECK (octet_length(hash) = 32),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX portal_access_tokens_contact ON portal_access_tokens (contact_id, purpose);

CREATE TABLE portal_sessions (
    id            uuid PRIMARY KEY,
    token_hash    bytea       NOT NULL CONSTRAINT portal_sessions_token_hash_key UNIQUE
                              CHECK (octet_length(token_hash) = 32),
    org_id        uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id   uuid        NOT NULL REFERENCES portal_customers (id),
    contact_id    uuid        NOT NULL REFERENCES portal_contacts (id),
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX portal_sessions_contact ON portal_sessions (contact_id);
CREATE INDEX portal_sessions_customer ON portal_sessions (org_id, customer_id);

CREATE TABLE portal_sign_in_failures (
    org_id     uuid        NOT NULL REFERENCES portal_orgs (id),
    email      text        NOT NULL,
    failed_at  timestamptz NOT NULL
);
CREATE INDEX portal_sign_in_failures_key ON portal_sign_in_failures (org_id, email, failed_at);

CREATE TABLE portal_outbox (
    id               uuid PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES portal_orgs (id),
    kind             text        NOT NULL
                     CHECK (kind IN ('invitation', 'password_reset', 'org_notification', 'customer_notification')),
    recipient        text        NOT NULL,
    subject          text        NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'sent', 'rejected')),
    attempts         bigint      NOT NULL CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz
);
CREATE INDEX portal_outbox_due ON portal_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX portal_outbox_org_pending ON portal_outbox (org_id, created_at, id) WHERE status = 'pending';
