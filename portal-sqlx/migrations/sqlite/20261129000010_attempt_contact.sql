-- The portal user behind a payment attempt, so that a payment recovered after a lost
-- answer still sends its receipt and the organization's notification. Attempts stored
-- before this migration have none.
ALTER TABLE portal_payment_attempts ADD COLUMN contact_id BLOB REFERENCES portal_contacts (id);
