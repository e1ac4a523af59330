-- Indexes for the money figures of the portal home, so that they read only the
-- customer's open documents: not its paid history, not the rest of the store.
-- Each is partial on what "open" means, and each query repeats that condition.

-- Sent and partly paid invoices and retainers: outstanding, overdue, retainers due.
CREATE INDEX portal_invoices_open
    ON portal_invoices (org_id, customer_id, kind, due_date, balance_minor)
    WHERE status IN ('sent', 'partially_paid');

-- Retainer invoices holding paid money not yet drawn on.
CREATE INDEX portal_invoices_retainer_undrawn
    ON portal_invoices (org_id, customer_id, paid_minor, retainer_drawn_minor)
    WHERE kind = 'retainer' AND paid_minor > retainer_drawn_minor;

-- Payments with an unapplied excess (available credit).
CREATE INDEX portal_payments_unapplied
    ON portal_payments (org_id, customer_id, unapplied_minor)
    WHERE unapplied_minor > 0;

-- Credit notes with a balance left.
CREATE INDEX portal_credit_notes_open
    ON portal_credit_notes (org_id, customer_id, balance_minor)
    WHERE balance_minor > 0;

-- Credit applied to an invoice, by customer and day (statement aging).
CREATE INDEX portal_credit_applications_by_day
    ON portal_credit_applications (org_id, customer_id, applied_on, invoice_id, amount_minor);

-- A customer's allocations with what aging needs from them, read from the index
-- alone: aging joins them to the customer's payments by hash, instead of one
-- primary-key probe per payment into the whole store's allocations.
DROP INDEX portal_payment_allocations_customer;
CREATE INDEX portal_payment_allocations_customer
    ON portal_payment_allocations (org_id, customer_id, payment_id, invoice_id, amount_minor);
