-- Document links: one document of one customer, opened without signing in, with
-- chosen actions, expiring and revocable. Only the token's hash is kept.
CREATE TABLE portal_document_links (
    id           BLOB    PRIMARY KEY,
    org_id       BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id  BLOB    NOT NULL REFERENCES portal_customers (id),
    contact_id   BLOB    NOT NULL REFERENCES portal_contacts (id),
    document     TEXT    NOT NULL,
    actions      TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL CONSTRAINT portal_document_links_token_hash_key UNIQUE
                         CHECK (length(token_hash) = 32),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX portal_document_links_customer ON portal_document_links (org_id, customer_id, id);
