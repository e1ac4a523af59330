-- The document an outbox email carries as a PDF: only a reference (kind, customer,
-- id); the dispatcher renders the document again at every attempt.
ALTER TABLE portal_outbox ADD COLUMN attachment TEXT;
