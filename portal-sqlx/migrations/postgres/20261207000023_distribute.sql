-- Distributing the store by organization with Citus (README.md, "Distributing by
-- organization"). Nothing here changes a plain PostgreSQL.
--
-- 1. Pay Now records a payment in one statement whose parts set the attempt's
--    payment before the payment row is written. PostgreSQL checks the key at the
--    end of the statement; Citus runs such a statement's parts one by one, so the
--    key is checked when the transaction commits instead.
ALTER TABLE portal_payment_attempts
    ALTER CONSTRAINT portal_payment_attempts_payment_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- 2. What a deployment runs once on the Citus coordinator, after the
--    migrations: `SELECT portal_distribute();`. The organizations become a
--    reference table (on every node); every other table is distributed by
--    org_id, all colocated, each after the tables its keys point at. Keys to the
--    reference table are added back after distribution (Citus would otherwise
--    turn the tables that have them into local tables).
CREATE OR REPLACE FUNCTION portal_distribute() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pending text[];
    t text;
    first text;
    progress boolean;
    k record;
BEGIN
    -- Keys to a reference table need every change of the transaction over one
    -- connection per node (Citus refuses them after parallel work otherwise).
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    CREATE TEMPORARY TABLE portal_org_keys ON COMMIT DROP AS
    SELECT c.conname::text AS name, t.relname::text AS tbl,
           pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()
      AND r.relname = 'portal_orgs' AND t.relname <> 'portal_orgs';
    FOR k IN SELECT * FROM portal_org_keys LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', k.tbl, k.name);
    END LOOP;

    PERFORM create_reference_table('portal_orgs');

    pending := ARRAY(
        SELECT c.relname::text FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
          AND c.relname LIKE 'portal%' AND c.relname <> 'portal_orgs'
        ORDER BY c.relname);
    LOOP
        EXIT WHEN cardinality(pending) = 0;
        progress := false;
        FOREACH t IN ARRAY pending LOOP
            -- Distributable once every table its keys point at is.
            IF NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                JOIN pg_class s ON s.oid = c.conrelid
                JOIN pg_class r ON r.oid = c.confrelid
                JOIN pg_namespace n ON n.oid = s.relnamespace
                WHERE c.contype = 'f' AND n.nspname = current_schema()
                  AND s.relname = t AND r.relname <> t AND r.relname = ANY (pending)
            ) THEN
                IF first IS NULL THEN
                    PERFORM create_distributed_table(t, 'org_id');
                    first := t;
                ELSE
                    PERFORM create_distributed_table(t, 'org_id', colocate_with => first);
                END IF;
                pending := array_remove(pending, t);
                progress := true;
            END IF;
        END LOOP;
        IF NOT progress THEN
            RAISE EXCEPTION 'portal_distribute: keys point in a circle among %', pending;
        END IF;
    END LOOP;

    FOR k IN SELECT * FROM portal_org_keys ORDER BY tbl, name LOOP
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', k.tbl, k.name, k.definition);
    END LOOP;
END
$$;
