-- Invoices, payments (with their allocations and idempotent attempts), credit notes
-- and credit applications. Amounts are integer minor units plus the currency code, so
-- sums in SQL are exact. Calendar dates are days since 1970-01-01 (integers), the
-- same on both engines, so keyset cursors compare plain integers.

CREATE TABLE portal_invoices (
    id                      uuid PRIMARY KEY,
    org_id                  uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id             uuid        NOT NULL REFERENCES portal_customers (id),
    kind                    text        NOT NULL CHECK (kind IN ('invoice', 'retainer')),
    number                  text        NOT NULL,
    status                  text        NOT NULL
                            CHECK (status IN ('draft', 'sent', 'partially_paid', 'paid', 'void')),
    lines                   jsonb       NOT NULL,
    currency                char(3)     NOT NULL,
    total_minor             bigint      NOT NULL CHECK (total_minor >= 0),
    paid_minor              bigint      NOT NULL CHECK (paid_minor >= 0),
    credited_minor          bigint      NOT NULL CHECK (credited_minor >= 0),
    retainer_drawn_minor    bigint      NOT NULL CHECK (retainer_drawn_minor >= 0),
    balance_minor           bigint      NOT NULL CHECK (balance_minor >= 0),
    issue_date              bigint      NOT NULL,
    due_date                bigint      NOT NULL CHECK (due_date >= issue_date),
    allow_partial_payments  boolean     NOT NULL,
    payment_gateways        jsonb       NOT NULL,
    viewed_at               timestamptz,
    created_at              timestamptz NOT NULL,
    version                 bigint      NOT NULL,
    CONSTRAINT portal_invoices_number_key UNIQUE (org_id, number),
    CONSTRAINT portal_invoices_balance CHECK (balance_minor = total_minor - paid_minor - credited_minor),
    CONSTRAINT portal_invoices_retainer_drawn CHECK (retainer_drawn_minor <= paid_minor)
);
CREATE INDEX portal_invoices_customer_status ON portal_invoices (org_id, customer_id, status);
CREATE INDEX portal_invoices_by_issue ON portal_invoices (org_id, customer_id, issue_date, id);
CREATE INDEX portal_invoices_by_due ON portal_invoices (org_id, customer_id, due_date, id);
CREATE INDEX portal_invoices_by_total ON portal_invoices (org_id, customer_id, total_minor, id);
CREATE INDEX portal_invoices_by_balance ON portal_invoices (org_id, customer_id, balance_minor, id);

CREATE TABLE portal_payments (
    id               uuid PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id      uuid        NOT NULL REFERENCES portal_customers (id),
    receipt_number   text        NOT NULL,
    currency         char(3)     NOT NULL,
    amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
    unapplied_minor  bigint      NOT NULL CHECK (unapplied_minor >= 0 AND unapplied_minor <= amount_minor),
    method           jsonb       NOT NULL,
    reference        text,
    paid_at          timestamptz NOT NULL,
    paid_on          bigint      NOT NULL
);
CREATE INDEX portal_payments_customer ON portal_payments (org_id, customer_id, paid_at, id);
CREATE INDEX portal_payments_by_day ON portal_payments (org_id, customer_id, paid_on);

CREATE TABLE portal_payment_allocations (
    payment_id    uuid    NOT NULL REFERENCES portal_payments (id),
    invoice_id    uuid    NOT NULL REFERENCES portal_invoices (id),
    org_id        uuid    NOT NULL,
    customer_id   uuid    NOT NULL,
    position      integer NOT NULL,
    amount_minor  bigint  NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (payment_id, invoice_id)
);
CREATE INDEX portal_payment_allocations_customer ON portal_payment_allocations (org_id, customer_id);
CREATE INDEX portal_payment_allocations_invoice ON portal_payment_allocations (invoice_id);

CREATE TABLE portal_payment_attempts (
    id               uuid PRIMARY KEY,
    org_id           uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id      uuid        NOT NULL REFERENCES portal_customers (id),
    idempotency_key  text        NOT NULL,
    fingerprint      text        NOT NULL,
    currency         char(3)     NOT NULL,
    amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
    invoices         jsonb       NOT NULL,
    gateway          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    payment_id       uuid REFERENCES portal_payments (id),
    failure_code     text,
    failure_message  text,
    created_at       timestamptz NOT NULL,
    CONSTRAINT portal_payment_attempts_key UNIQUE (org_id, idempotency_key),
    CHECK ((status = 'succeeded') = (payment_id IS NOT NULL))
);
CREATE INDEX portal_payment_attempts_pending ON portal_payment_attempts (created_at, id) WHERE status = 'pending';

CREATE TABLE portal_credit_notes (
    id             uuid PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id    uuid        NOT NULL REFERENCES portal_customers (id),
    number         text        NOT NULL,
    currency       char(3)     NOT NULL,
    total_minor    bigint      NOT NULL CHECK (total_minor > 0),
    balance_minor  bigint      NOT NULL CHECK (balance_minor >= 0 AND balance_minor <= total_minor),
    issue_date     bigint      NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX portal_credit_notes_customer ON portal_credit_notes (org_id, customer_id, issue_date, id);

CREATE TABLE portal_credit_applications (
    id           uuid PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id  uuid        NOT NULL REFERENCES portal_customers (id),
    source_kind  text        NOT NULL CHECK (source_kind IN ('credit_note', 'payment', 'retainer')),
    source_id    uuid        NOT NULL,
    invoice_id   uuid        NOT NULL REFERENCES portal_invoices (id),
    amount_minor bigint      NOT NULL CHECK (amount_minor > 0),
    applied_at   timestamptz NOT NULL,
    applied_on   bigint      NOT NULL
);
CREATE INDEX portal_credit_applications_customer ON portal_credit_applications (org_id, customer_id);
CREATE INDEX portal_credit_applications_invoice ON portal_credit_applications (invoice_id, applied_on);
