-- Reviews customers write about the organization.

CREATE TABLE portal_reviews (
    id           BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id  BLOB    NOT NULL REFERENCES portal_customers (id),
    contact_id   BLOB    NOT NULL REFERENCES portal_contacts (id),
    body         TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_reviews_customer ON portal_reviews (org_id, customer_id, created_at);
