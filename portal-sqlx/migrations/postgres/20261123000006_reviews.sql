-- Reviews customers write about the organization.

CREATE TABLE portal_reviews (
    id           uuid PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id  uuid        NOT NULL REFERENCES portal_customers (id),
    contact_id   uuid        NOT NULL REFERENCES portal_contacts (id),
    body         text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at   timestamptz NOT NULL
);
CREATE INDEX portal_reviews_customer ON portal_reviews (org_id, customer_id, created_at);
