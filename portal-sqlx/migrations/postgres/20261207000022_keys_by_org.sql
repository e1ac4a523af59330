-- Every key includes the organization, so that the store distributes by
-- organization (Citus: a primary or unique key must include the distribution
-- column, and a foreign key between distributed tables must tie it on both
-- sides; README.md, "Distributing by organization").
--
-- 1. File bytes are kept per organization too.
-- No foreign key: the bytes are storage a host may keep elsewhere (object
-- storage keyed `{org}/{id}`), found through the file record.
ALTER TABLE portal_file_blobs ADD COLUMN org_id uuid;
UPDATE portal_file_blobs SET org_id = (
    SELECT f.org_id FROM portal_files f WHERE f.id = portal_file_blobs.id);
-- Bytes without a file record (a failed upload's, or one being recorded while
-- this runs) are kept under the nil organization, where nothing reads them: a
-- host may sweep them, the migration loses nothing.
UPDATE portal_file_blobs SET org_id = '00000000-0000-0000-0000-000000000000'
WHERE org_id IS NULL;
ALTER TABLE portal_file_blobs ALTER COLUMN org_id SET NOT NULL;

-- 2. The foreign keys between the organization's tables go, to be tied again on
--    (org_id, ...) once the keys they point at include org_id.
CREATE TEMPORARY TABLE keys_to_tie ON COMMIT DROP AS
SELECT c.conname::text AS name, t.relname::text AS tbl, r.relname::text AS target,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_cols
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class r ON r.oid = c.confrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND n.nspname = current_schema()
  AND t.relname LIKE 'portal%' AND r.relname <> 'portal_orgs';

DO $$
DECLARE
    k record;
BEGIN
    FOR k IN SELECT * FROM keys_to_tie LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', k.tbl, k.name);
    END LOOP;

    -- 3. Primary and unique keys without org_id get it first, under the same
    --    names.
    FOR k IN
        SELECT c.conname::text AS name, t.relname::text AS tbl, c.contype AS kind,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY x(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = x.n
                     ORDER BY x.i) AS cols
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype IN ('p', 'u') AND n.nspname = current_schema()
          AND t.relname LIKE 'portal%' AND t.relname <> 'portal_orgs'
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = c.conrelid AND a.attname = 'org_id'
                            AND a.attnum = ANY (c.conkey))
        ORDER BY t.relname, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', k.tbl, k.name);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s (org_id, %s)',
            k.tbl, k.name,
            CASE k.kind WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,
            (SELECT string_agg(quote_ident(c), ', ') FROM unnest(k.cols) c));
    END LOOP;

    -- 4. The foreign keys again, tying org_id to org_id.
    FOR k IN SELECT * FROM keys_to_tie ORDER BY tbl, name LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (org_id, %s) REFERENCES %I (org_id, %s)',
            k.tbl, k.name,
            (SELECT string_agg(quote_ident(c), ', ') FROM unnest(k.cols) c),
            k.target,
            (SELECT string_agg(quote_ident(c), ', ') FROM unnest(k.target_cols) c));
    END LOOP;
END
$$;

-- 5. The secrets a request finds before it knows its organization are found
--    by these (unique within an organization by the keys above; a secret of
--    32 random bytes does not repeat across them).
CREATE INDEX portal_sessions_by_token ON portal_sessions (token_hash);
CREATE INDEX portal_access_tokens_by_hash ON portal_access_tokens (hash);
CREATE INDEX portal_document_links_by_token ON portal_document_links (token_hash);
