-- The portal home sums a customer's open invoices, open credit notes and
-- unapplied payments from partial indexes alone (index-only scans), which skip
-- the table only for pages the visibility map marks all-visible. By default a
-- vacuum that finds dead rows on under 2% of a table's pages skips its index
-- pass, and leaves exactly those pages (the recently active customers') unmarked:
-- on a store of a million invoices, the one customer who just paid then costs a
-- table read per open invoice. These tables' vacuums always clean their indexes,
-- so every vacuum marks the pages it cleans.
ALTER TABLE portal_invoices SET (vacuum_index_cleanup = on);
ALTER TABLE portal_credit_notes SET (vacuum_index_cleanup = on);
ALTER TABLE portal_payments SET (vacuum_index_cleanup = on);
