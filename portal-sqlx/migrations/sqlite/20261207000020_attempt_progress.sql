-- A pending attempt the gateway answered "not yet" for: the customer must confirm
-- with their bank ('requires_action'), or the payment settles later
-- ('processing'). NULL while the gateway's answer is not known. gateway_ref is the
-- gateway's id of the payment (a Stripe PaymentIntent), staged_at when it reached
-- the stage. The stage only moves forward while the attempt is pending.
ALTER TABLE portal_payment_attempts ADD COLUMN stage TEXT
    CHECK (stage IN ('requires_action', 'processing'));
ALTER TABLE portal_payment_attempts ADD COLUMN gateway_ref TEXT;
ALTER TABLE portal_payment_attempts ADD COLUMN staged_at INTEGER;
-- A customer's pending payments (payments page, statement): few rows per customer.
CREATE INDEX portal_payment_attempts_customer_staged
    ON portal_payment_attempts (org_id, customer_id, created_at)
    WHERE status = 'pending' AND stage IS NOT NULL;
