-- Quotes (with their acceptance signature bound to a content hash) and comments on
-- quotes and invoices.

CREATE TABLE portal_quotes (
    id              BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id          BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id     BLOB        NOT NULL REFERENCES portal_customers (id),
    number          TEXT        NOT NULL,
    revision        INTEGER      NOT NULL CHECK (revision >= 1),
    status          TEXT        NOT NULL
                    CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'invoiced')),
    lines           TEXT       NOT NULL,
    currency        TEXT     NOT NULL,
    total_minor     INTEGER      NOT NULL CHECK (total_minor >= 0),
    issue_date      INTEGER      NOT NULL,
    expiry_date     INTEGER      NOT NULL CHECK (expiry_date >= issue_date),
    viewed_at       INTEGER,
    decided_at      INTEGER,
    signature       TEXT,
    decline_reason  TEXT,
    invoice_id      BLOB REFERENCES portal_invoices (id),
    created_at      INTEGER NOT NULL,
    version         INTEGER      NOT NULL,
    CONSTRAINT portal_quotes_number_key UNIQUE (org_id, number)
) STRICT;
CREATE INDEX portal_quotes_customer_status ON portal_quotes (org_id, customer_id, status, expiry_date);
CREATE INDEX portal_quotes_by_issue ON portal_quotes (org_id, customer_id, issue_date, id);
CREATE INDEX portal_quotes_by_expiry ON portal_quotes (org_id, customer_id, expiry_date, id);
CREATE INDEX portal_quotes_by_total ON portal_quotes (org_id, customer_id, total_minor, id);

CREATE TABLE portal_comments (
    id              BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id          BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id     BLOB        NOT NULL REFERENCES portal_customers (id),
    target_kind     TEXT        NOT NULL CHECK (target_kind IN ('quote', 'invoice')),
    target_id       BLOB        NOT NULL,
    author_contact  BLOB REFERENCES portal_contacts (id),
    body            TEXT        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    show_in_portal  INTEGER     NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_comments_target ON portal_comments (org_id, customer_id, target_kind, target_id, created_at);
