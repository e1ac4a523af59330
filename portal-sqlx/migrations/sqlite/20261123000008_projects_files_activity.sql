-- Projects, tasks, time entries and timesheet approvals; shared files and their
-- bytes; the activity feed; comments on projects and approvals.

CREATE TABLE portal_projects (
    id           BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id       BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id  BLOB    NOT NULL REFERENCES portal_customers (id),
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('active', 'completed')),
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_projects_by_customer ON portal_projects (org_id, customer_id, id);

CREATE TABLE portal_tasks (
    id          BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id      BLOB    NOT NULL REFERENCES portal_orgs (id),
    project_id  BLOB    NOT NULL REFERENCES portal_projects (id),
    name        TEXT    NOT NULL,
    billable    INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_tasks_by_project ON portal_tasks (project_id);

CREATE TABLE portal_time_entries (
    id              BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id          BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id     BLOB    NOT NULL REFERENCES portal_customers (id),
    project_id      BLOB    NOT NULL REFERENCES portal_projects (id),
    task_id         BLOB    NOT NULL REFERENCES portal_tasks (id),
    billable        INTEGER NOT NULL,
    work_date       INTEGER NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    note            TEXT    NOT NULL,
    approval        TEXT    NOT NULL
                    CHECK (approval IN ('unsubmitted', 'pending', 'approved', 'rejected')),
    dispute_reason  TEXT,
    invoice_id      BLOB REFERENCES portal_invoices (id),
    created_at      INTEGER NOT NULL,
    -- Only approved time is invoiced.
    CHECK (invoice_id IS NULL OR approval = 'approved')
) STRICT;
CREATE INDEX portal_time_entries_by_project ON portal_time_entries (project_id, work_date, id);
CREATE INDEX portal_time_entries_by_task ON portal_time_entries (task_id);

CREATE TABLE portal_approvals (
    id             BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id         BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id    BLOB    NOT NULL REFERENCES portal_customers (id),
    project_id     BLOB    NOT NULL REFERENCES portal_projects (id),
    title          TEXT    NOT NULL,
    entries        TEXT    NOT NULL,
    total_minutes  INTEGER NOT NULL CHECK (total_minutes > 0),
    status         TEXT    NOT NULL
                   CHECK (status IN ('pending', 'approved', 'partially_approved', 'rejected')),
    reason         TEXT,
    decided_by     BLOB REFERENCES portal_contacts (id),
    decided_at     INTEGER,
    viewed_at      INTEGER,
    created_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_approvals_by_customer ON portal_approvals (org_id, customer_id, id);

CREATE TABLE portal_approval_entries (
    approval_id  BLOB    NOT NULL REFERENCES portal_approvals (id),
    position     INTEGER NOT NULL,
    entry_id     BLOB    NOT NULL REFERENCES portal_time_entries (id),
    PRIMARY KEY (approval_id, position)
) STRICT;

CREATE TABLE portal_files (
    id            BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id   BLOB    NOT NULL REFERENCES portal_customers (id),
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256        TEXT    NOT NULL,
    uploaded_by   BLOB REFERENCES portal_contacts (id),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_files_by_customer ON portal_files (org_id, customer_id, id);

CREATE TABLE portal_file_blobs (
    id     BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    bytes  BLOB NOT NULL
) STRICT;

CREATE TABLE portal_activity (
    id            BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL REFERENCES portal_orgs (id),
    customer_id   BLOB    NOT NULL REFERENCES portal_customers (id),
    contact_id    BLOB    NOT NULL REFERENCES portal_contacts (id),
    event         TEXT    NOT NULL,
    subject_kind  TEXT    NOT NULL,
    subject_id    BLOB    NOT NULL,
    summary       TEXT    NOT NULL,
    at            INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_activity_by_customer ON portal_activity (org_id, customer_id, id);

-- SQLite cannot alter a CHECK: the comments table is rebuilt with the new targets.
CREATE TABLE portal_comments_new (
    id              BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    org_id          BLOB        NOT NULL REFERENCES portal_orgs (id),
    customer_id     BLOB        NOT NULL REFERENCES portal_customers (id),
    target_kind     TEXT        NOT NULL
                    CHECK (target_kind IN ('quote', 'invoice', 'project', 'approval')),
    target_id       BLOB        NOT NULL,
    author_contact  BLOB REFERENCES portal_contacts (id),
    body            TEXT        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    show_in_portal  INTEGER     NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
INSERT INTO portal_comments_new
    (id, org_id, customer_id, target_kind, target_id, author_contact, body, show_in_portal, created_at)
    SELECT id, org_id, customer_id, target_kind, target_id, author_contact, body, show_in_portal, created_at
    FROM portal_comments;
DROP TABLE portal_comments;
ALTER TABLE portal_comments_new RENAME TO portal_comments;
CREATE INDEX portal_comments_target ON portal_comments (org_id, customer_id, target_kind, target_id, created_at);
