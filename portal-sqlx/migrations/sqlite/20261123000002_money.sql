-- Invoices, payments (with their allocations and idempotent attempts), credit notes
-- and credit applications. Amounts are INTEGER minor units plus the currency code, so
-- sums in SQL are exact. Timestamps are INTEGER microseconds since the epoch. Calendar dates are days since 1970-01-01 (INTEGERs), the
-- same on both engines, so keyset cursors compare plain INTEGERs.

CREATE TABLE portal_invoices (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id                  BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id             BLOB        NOT NULL REFERENCES portal_customers (id),
    kind                    TEXT        NOT NULL CHECK (kind IN ('invoice', 'retainer')),
    number                  TEXT        NOT NULL,
    status                  TEXT        NOT NULL
                            CHECK (status IN ('draft', 'sent', 'partially_paid', 'paid', 'void')),
    lines                   TEXT       NOT NULL,
    currency                TEXT     NOT NULL,
    total_minor             INTEGER      NOT NULL CHECK (total_minor >= 0),
    paid_minor              INTEGER      NOT NULL CHECK (paid_minor >= 0),
    credited_minor          INTEGER      NOT NULL CHECK (credited_minor >= 0),
    retainer_drawn_minor    INTEGER      NOT NULL CHECK (retainer_drawn_minor >= 0),
    balance_minor           INTEGER      NOT NULL CHECK (balance_minor >= 0),
    issue_date              INTEGER     NOT NULL,
    due_date                INTEGER     NOT NULL CHECK (due_date >= issue_date),
    allow_partial_payments  INTEGER     NOT NULL,
    payment_gateways        TEXT       NOT NULL,
    viewed_at               INTEGER,
    created_at              INTEGER NOT NULL,
    version                 INTEGER      NOT NULL,
    CONSTRAINT portal_invoices_number_key UNIQUE (org_id, number),
    CONSTRAINT portal_invoices_balance CHECK (balance_minor = total_minor - paid_minor - credited_minor),
    CONSTRAINT portal_invoices_retainer_drawn CHECK (retainer_drawn_minor <= paid_minor)
) STRICT;
CREATE INDEX portal_invoices_customer_status ON portal_invoices (org_id, customer_id, status);
CREATE INDEX portal_invoices_by_issue ON portal_invoices (org_id, customer_id, issue_date, id);
CREATE INDEX portal_invoices_by_due ON portal_invoices (org_id, customer_id, due_date, id);
CREATE INDEX portal_invoices_by_total ON portal_invoices (org_id, customer_id, total_minor, id);
CREATE INDEX portal_invoices_by_balance ON portal_invoices (org_id, customer_id, balance_minor, id);

CREATE TABLE portal_payments (
    id               BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id           BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id      BLOB        NOT NULL REFERENCES portal_customers (id),
    receipt_number   TEXT        NOT NULL,
    currency         TEXT     NOT NULL,
    amount_minor     INTEGER      NOT NULL CHECK (amount_minor > 0),
    unapplied_minor  INTEGER      NOT NULL CHECK (unapplied_minor >= 0 AND unapplied_minor <= amount_minor),
    method           TEXT       NOT NULL,
    reference        TEXT,
    paid_at          INTEGER NOT NULL,
    paid_on          INTEGER      NOT NULL
) STRICT;
CREATE INDEX portal_payments_customer ON portal_payments (org_id, customer_id, paid_at, id);
CREATE INDEX portal_payments_by_day ON portal_payments (org_id, customer_id, paid_on);

CREATE TABLE portal_payment_allocations (
    payment_id    BLOB    NOT NULL REFERENCES portal_payments (id),
    invoice_id    BLOB    NOT NULL REFERENCES portal_invoices (id),
    org_id        BLOB    NOT NULL,
    customer_id   BLOB    NOT NULL,
    position      INTEGER NOT NULL,
    amount_minor  INTEGER  NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (payment_id, invoice_id)
) STRICT;
CREATE INDEX portal_payment_allocations_customer ON portal_payment_allocations (org_id, customer_id);
CREATE INDEX portal_payment_allocations_invoice ON portal_payment_allocations (invoice_id);

CREATE TABLE portal_payment_attempts (
    id               BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id           BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id      BLOB        NOT NULL REFERENCES portal_customers (id),
    idempotency_key  TEXT        NOT NULL,
    fingerprint      TEXT        NOT NULL,
    currency         TEXT     NOT NULL,
    amount_minor     INTEGER      NOT NULL CHECK (amount_minor > 0),
    invoices         TEXT       NOT NULL,
    gateway          TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    payment_id       BLOB REFERENCES portal_payments (id),
    failure_code     TEXT,
    failure_message  TEXT,
    created_at       INTEGER NOT NULL,
    CONSTRAINT portal_payment_attempts_key UNIQUE (org_id, idempotency_key),
    CHECK ((status = 'succeeded') = (payment_id IS NOT NULL))
) STRICT;
CREATE INDEX portal_payment_attempts_pending ON portal_payment_attempts (created_at, id) WHERE status = 'pending';

CREATE TABLE portal_credit_notes (
    id             BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id         BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id    BLOB        NOT NULL REFERENCES portal_customers (id),
    number         TEXT        NOT NULL,
    currency       TEXT     NOT NULL,
    total_minor    INTEGER      NOT NULL CHECK (total_minor > 0),
    balance_minor  INTEGER      NOT NULL CHECK (balance_minor >= 0 AND balance_minor <= total_minor),
    issue_date     INTEGER     NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_credit_notes_customer ON portal_credit_notes (org_id, customer_id, issue_date, id);

CREATE TABLE portal_credit_applications (
    id           BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id       BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id  BLOB        NOT NULL REFERENCES portal_customers (id),
    source_kind  TEXT        NOT NULL CHECK (source_kind IN ('credit_note', 'payment', 'retainer')),
    source_id    BLOB        NOT NULL,
    invoice_id   BLOB        NOT NULL REFERENCES portal_invoices (id),
    amount_minor INTEGER      NOT NULL CHECK (amount_minor > 0),
    applied_at   INTEGER NOT NULL,
    applied_on   INTEGER      NOT NULL
) STRICT;
CREATE INDEX portal_credit_applications_customer ON portal_credit_applications (org_id, customer_id);
CREATE INDEX portal_credit_applications_invoice ON portal_credit_applications (invoice_id, applied_on);
