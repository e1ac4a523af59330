-- The statement of account reads a customer's invoices, credit notes, payments
-- and refunds by date: before the period (the opening balance), within it (the
-- entries) and up to its end (aging). These indexes carry every column those
-- reads use (SQLite has no INCLUDE: they follow the key), so that they read the
-- customer's rows from the index alone, in one contiguous range, wherever the
-- rows lie in a table that grows with the whole store.
DROP INDEX portal_invoices_by_issue;
CREATE INDEX portal_invoices_by_issue
    ON portal_invoices (org_id, customer_id, issue_date, id, kind, status, total_minor, due_date, number);
DROP INDEX portal_credit_notes_customer;
CREATE INDEX portal_credit_notes_customer
    ON portal_credit_notes (org_id, customer_id, issue_date, id, number, total_minor);
DROP INDEX portal_payments_by_day;
CREATE INDEX portal_payments_by_day
    ON portal_payments (org_id, customer_id, paid_on, id, receipt_number, amount_minor);
DROP INDEX portal_refunds_by_day;
CREATE INDEX portal_refunds_by_day
    ON portal_refunds (org_id, customer_id, refunded_on, id, mode, amount_minor);
