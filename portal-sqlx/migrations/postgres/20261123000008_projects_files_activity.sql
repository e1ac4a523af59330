-- Projects, tasks, time entries and timesheet approvals; shared files and their
-- bytes; the activity feed; comments on projects and approvals.

CREATE TABLE portal_projects (
    id           uuid PRIMARY KEY,
    org_id       uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id  uuid        NOT NULL REFERENCES portal_customers (id),
    name         text        NOT NULL,
    description  text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('active', 'completed')),
    created_at   timestamptz NOT NULL,
    version      bigint      NOT NULL
);
CREATE INDEX portal_projects_by_customer ON portal_projects (org_id, customer_id, id);

CREATE TABLE portal_tasks (
    id          uuid PRIMARY KEY,
    org_id      uuid    NOT NULL REFERENCES portal_orgs (id),
    project_id  uuid    NOT NULL REFERENCES portal_projects (id),
    name        text    NOT NULL,
    billable    boolean NOT NULL
);
CREATE INDEX portal_tasks_by_project ON portal_tasks (project_id);

CREATE TABLE portal_time_entries (
    id              uuid PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id     uuid        NOT NULL REFERENCES portal_customers (id),
    project_id      uuid        NOT NULL REFERENCES portal_projects (id),
    task_id         uuid        NOT NULL REFERENCES portal_tasks (id),
    billable        boolean     NOT NULL,
    work_date       bigint      NOT NULL,
    minutes         bigint      NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    note            text        NOT NULL,
    approval        text        NOT NULL
                    CHECK (approval IN ('unsubmitted', 'pending', 'approved', 'rejected')),
    dispute_reason  text,
    invoice_id      uuid REFERENCES portal_invoices (id),
    created_at      timestamptz NOT NULL,
    -- Only approved time is invoiced.
    CHECK (invoice_id IS NULL OR approval = 'approved')
);
CREATE INDEX portal_time_entries_by_project ON portal_time_entries (project_id, work_date, id);
CREATE INDEX portal_time_entries_by_task ON portal_time_entries (task_id);

CREATE TABLE portal_approvals (
    id             uuid PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id    uuid        NOT NULL REFERENCES portal_customers (id),
    project_id     uuid        NOT NULL REFERENCES portal_projects (id),
    title          text        NOT NULL,
    entries        jsonb       NOT NULL,
    total_minutes  bigint      NOT NULL CHECK (total_minutes > 0),
    status         text        NOT NULL
                   CHECK (status IN ('pending', 'approved', 'partially_approved', 'rejected')),
    reason         text,
    decided_by     uuid REFERENCES portal_contacts (id),
    decided_at     timestamptz,
    viewed_at      timestamptz,
    created_at     timestamptz NOT NULL,
    version        bigint      NOT NULL
);
CREATE INDEX portal_approvals_by_customer ON portal_approvals (org_id, customer_id, id);

CREATE TABLE portal_approval_entries (
    approval_id  uuid   NOT NULL REFERENCES portal_approvals (id),
    position     bigint NOT NULL,
    entry_id     uuid   NOT NULL REFERENCES portal_time_entries (id),
    PRIMARY KEY (approval_id, position)
);

CREATE TABLE portal_files (
    id            uuid PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id   uuid        NOT NULL REFERENCES portal_customers (id),
    name          text        NOT NULL,
    content_type  text        NOT NULL,
    size_bytes    bigint      NOT NULL CHECK (size_bytes > 0),
    sha256        text        NOT NULL,
    uploaded_by   uuid REFERENCES portal_contacts (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX portal_files_by_customer ON portal_files (org_id, customer_id, id);

CREATE TABLE portal_file_blobs (
    id     uuid PRIMARY KEY,
    bytes  bytea NOT NULL
);

CREATE TABLE portal_activity (
    id            uuid PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES portal_orgs (id),
    customer_id   uuid        NOT NULL REFERENCES portal_customers (id),
    contact_id    uuid        NOT NULL REFERENCES portal_contacts (id),
    event         text        NOT NULL,
    subject_kind  text        NOT NULL,
    subject_id    uuid        NOT NULL,
    summary       text        NOT NULL,
    at            timestamptz NOT NULL
);
CREATE INDEX portal_activity_by_customer ON portal_activity (org_id, customer_id, id);

ALTER TABLE portal_comments DROP CONSTRAINT portal_comments_target_kind_check;
ALTER TABLE portal_comments ADD CONSTRAINT portal_comments_target_kind_check
    CHECK (target_kind IN ('quote', 'invoice', 'project', 'approval'));
