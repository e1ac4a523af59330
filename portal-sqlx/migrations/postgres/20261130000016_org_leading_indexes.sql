-- Every index that serves a portal call leads with the organization, so that a
-- store distributed by organization keeps each index on the shard of its rows.
DROP INDEX portal_access_tokens_contact;
CREATE INDEX portal_access_tokens_contact ON portal_access_tokens (org_id, contact_id, purpose);
DROP INDEX portal_sessions_contact;
CREATE INDEX portal_sessions_contact ON portal_sessions (org_id, contact_id);
DROP INDEX portal_payment_allocations_invoice;
CREATE INDEX portal_payment_allocations_invoice ON portal_payment_allocations (org_id, invoice_id);
DROP INDEX portal_credit_applications_invoice;
CREATE INDEX portal_credit_applications_invoice
    ON portal_credit_applications (org_id, invoice_id, applied_on);
DROP INDEX portal_tasks_by_project;
CREATE INDEX portal_tasks_by_project ON portal_tasks (org_id, project_id);
DROP INDEX portal_time_entries_by_project;
CREATE INDEX portal_time_entries_by_project
    ON portal_time_entries (org_id, project_id, work_date, id);
DROP INDEX portal_time_entries_by_task;
CREATE INDEX portal_time_entries_by_task ON portal_time_entries (org_id, task_id);
