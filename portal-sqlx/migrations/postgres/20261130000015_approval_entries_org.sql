-- Every table carries the organization it belongs to, so that the store can be
-- distributed by organization: the timesheet approval's entries get theirs.
ALTER TABLE portal_approval_entries ADD COLUMN org_id uuid REFERENCES portal_orgs (id);
UPDATE portal_approval_entries SET org_id = (
    SELECT a.org_id FROM portal_approvals a WHERE a.id = portal_approval_entries.approval_id);
ALTER TABLE portal_approval_entries ALTER COLUMN org_id SET NOT NULL;
