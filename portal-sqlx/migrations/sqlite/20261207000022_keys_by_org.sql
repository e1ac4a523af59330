-- File bytes are kept per organization, as on PostgreSQL (where every key
-- includes the organization so the store distributes by it). Bytes without a
-- file record are kept under the nil organization, where nothing reads them.
CREATE TABLE portal_file_blobs_by_org (
    org_id BLOB NOT NULL CHECK (length(org_id) = 16),
    id     BLOB NOT NULL CHECK (length(id) = 16),
    bytes  BLOB NOT NULL,
    PRIMARY KEY (org_id, id)
) STRICT;
INSERT INTO portal_file_blobs_by_org (org_id, id, bytes)
SELECT coalesce((SELECT f.org_id FROM portal_files f WHERE f.id = b.id), zeroblob(16)), b.id, b.bytes
FROM portal_file_blobs b;
DROP TABLE portal_file_blobs;
ALTER TABLE portal_file_blobs_by_org RENAME TO portal_file_blobs;
