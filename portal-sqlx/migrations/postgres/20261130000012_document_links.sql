-- Document links: one document of one customer, opened without signing in, with
-- chosen actions, expiring and revocable. Only the token's hash is kept.
CREATE TABLE portal_document_links (
    id           uuid PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id  uuid        NOT NULL REFERENCES portal_customers (id),
    contact_id   uuid        NOT NULL REFERENCES portal_contacts (id),
    document     jsonb       NOT NULL,
    actions      jsonb       NOT NULL,
    token_hash   bytea       NOT NULL CONSTRAINT portal_document_links_token_hash_key UNIQUE
                             CHECK (octet_length(token_hash) = 32),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX portal_document_links_customer ON portal_document_links (org_id, customer_id, id);
