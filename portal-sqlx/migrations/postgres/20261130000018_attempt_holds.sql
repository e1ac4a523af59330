-- What a pending Pay Now attempt holds on each invoice moves from the
-- portal_payment_reservations table to the attempt's own row: `holds`, a JSON
-- array of {"invoice_id", "amount_minor"}, written with the attempt. Failing the
-- attempt or recording its payment (the change from 'pending', under the
-- attempt's row lock) gives its holds back to portal_invoices.reserved_minor in
-- the same statement or transaction; after that the array is only a record of
-- what the attempt held.
--
-- The table cost every payment an insert, a delete and three foreign-key checks,
-- one of them a lookup in portal_payment_attempts made while the invoice's row
-- lock was held. Its delete was planned on a table of a few pending rows, so it
-- read the whole table, which only a vacuum shrinks, on every payment.
ALTER TABLE portal_payment_attempts ADD COLUMN holds jsonb NOT NULL DEFAULT '[]';
UPDATE portal_payment_attempts a SET holds = (
    SELECT jsonb_agg(jsonb_build_object('invoice_id', r.invoice_id, 'amount_minor', r.amount_minor)
                     ORDER BY r.invoice_id)
    FROM portal_payment_reservations r WHERE r.attempt_id = a.id)
WHERE a.id IN (SELECT attempt_id FROM portal_payment_reservations);
DROP TABLE portal_payment_reservations;
