-- PostgreSQL only (its vacuum's index cleanup); SQLite has no visibility map.
-- Kept so that both engines list the same migrations.
SELECT 1;
