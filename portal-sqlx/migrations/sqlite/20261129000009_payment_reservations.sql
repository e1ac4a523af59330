-- Pay Now reservations: what each pending payment attempt holds on each invoice, so
-- that concurrent attempts (two tabs, two devices) never charge more than is owed.
-- A row lives while its attempt is pending: failing the attempt or recording its
-- payment deletes it in the same transaction.
CREATE TABLE portal_payment_reservations (
    attempt_id    BLOB     NOT NULL REFERENCES portal_payment_attempts (id),
    invoice_id    BLOB     NOT NULL REFERENCES portal_invoices (id),
    org_id        BLOB     NOT NULL REFERENCES portal_orgs (id),
    amount_minor  INTEGER  NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (attempt_id, invoice_id)
) STRICT;
CREATE INDEX portal_payment_reservations_invoice ON portal_payment_reservations (org_id, invoice_id);
