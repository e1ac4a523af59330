-- What pending Pay Now attempts hold on each invoice, kept on the invoice row in
-- the same transactions that add and delete its reservations. A single-invoice
-- attempt then reserves with one conditional UPDATE (the row lock and the check
-- in one statement), and its payment settles with another: concurrent payments
-- of one invoice wait on each other for one statement and the commit.
ALTER TABLE portal_invoices ADD COLUMN reserved_minor bigint NOT NULL DEFAULT 0
    CHECK (reserved_minor >= 0);
UPDATE portal_invoices SET reserved_minor = (
    SELECT COALESCE(SUM(r.amount_minor), 0) FROM portal_payment_reservations r
    WHERE r.invoice_id = portal_invoices.id)
WHERE id IN (SELECT invoice_id FROM portal_payment_reservations);
