-- Failed sign-ins remember which client they came from (a SHA-256 hash of its
-- network address or of the host's own key: ClientKey), so that throttling counts
-- per (email, client) first and per email only at a much higher threshold. Rows
-- from before have the empty key: an unknown client.
ALTER TABLE portal_sign_in_failures ADD COLUMN client_key bytea NOT NULL DEFAULT '\x';
