-- The emails the mail server refused for good, per organization and latest
-- refusal first: what the org console lists as failed, with the server's answer.
CREATE INDEX portal_outbox_org_rejected ON portal_outbox (org_id, next_attempt_at DESC, id DESC)
    WHERE status = 'rejected';
