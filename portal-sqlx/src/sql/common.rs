//! SQL that both engines run as written. Placeholders are `$1`, `$2`, ... (SQLite
//! reads `$N` as the N-th argument too). Engine modules re-export these and define
//! what differs (locking, `GREATEST`/`MAX`, transaction start).

pub(crate) use super::activity::*;
pub(crate) use super::approvals::*;
pub(crate) use super::comments::*;
pub(crate) use super::credits::*;
pub(crate) use super::files::*;
pub(crate) use super::invoices::*;
pub(crate) use super::links::*;
pub(crate) use super::payment_methods::*;
pub(crate) use super::payments::*;
pub(crate) use super::projects::*;
pub(crate) use super::quotes::*;
pub(crate) use super::reviews::*;
pub(crate) use super::sales_orders::*;
pub(crate) use super::statements::*;

macro_rules! org_cols {
    () => {
        "id, name, slug, settings, roles, portal_user_cap, created_at, version"
    };
}
macro_rules! customer_cols {
    () => {
        "id, org_id, display_name, company_name, currency, billing_address, shipping_address, \
         may_pay_by_bank_account, created_at, deleted_at, version"
    };
}
macro_rules! contact_cols {
    () => {
        "id, org_id, customer_id, first_name, last_name, email, phone, is_primary, portal_status, \
         role_id, password_hash, preferences, created_at, deleted_at, version"
    };
}
macro_rules! token_cols {
    () => {
        "id, org_id, contact_id, purpose, hash, created_at, expires_at"
    };
}
macro_rules! session_cols {
    () => {
        "id, token_hash, org_id, customer_id, contact_id, created_at, last_seen_at"
    };
}
macro_rules! email_cols {
    () => {
        "id, org_id, kind, recipient, subject, body, status, attempts, next_attempt_at, last_error, \
         created_at, sent_at, attachment"
    };
}
pub(crate) use {email_cols, org_cols};

pub(crate) const INSERT_ORG: &str = concat!(
    "INSERT INTO portal_orgs (",
    org_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
);
pub(crate) const SELECT_ORG: &str =
    concat!("SELECT ", org_cols!(), " FROM portal_orgs WHERE id = $1");
pub(crate) const SELECT_ORG_BY_SLUG: &str =
    concat!("SELECT ", org_cols!(), " FROM portal_orgs WHERE slug = $1");
pub(crate) const UPDATE_ORG: &str = concat!(
    "UPDATE portal_orgs SET name = $3, slug = $4, settings = $5, roles = $6, portal_user_cap = $7, \
     version = version + 1 WHERE id = $1 AND version = $2 RETURNING ",
    org_cols!()
);
pub(crate) const ORG_VERSION: &str = "SELECT version FROM portal_orgs WHERE id = $1";

pub(crate) const INSERT_CUSTOMER: &str = concat!(
    "INSERT INTO portal_customers (",
    customer_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const SELECT_CUSTOMER: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM portal_customers WHERE org_id = $1 AND id = $2"
);
pub(crate) const ORG_CUSTOMERS: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM portal_customers WHERE org_id = $1 AND deleted_at IS NULL \
     AND (CAST(0 AS BIGINT), id) < ($2, $3) ORDER BY id DESC LIMIT $4"
);
pub(crate) const UPDATE_CUSTOMER: &str = concat!(
    "UPDATE portal_customers SET display_name = $4, company_name = $5, currency = $6, \
     billing_address = $7, shipping_address = $8, may_pay_by_bank_account = $9, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL RETURNING ",
    customer_cols!()
);
pub(crate) const CUSTOMER_STATE: &str =
    "SELECT version, deleted_at FROM portal_customers WHERE org_id = $1 AND id = $2";
pub(crate) const DELETE_CUSTOMER: &str = "UPDATE portal_customers SET deleted_at = $3, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";
pub(crate) const DELETE_CONTACTS_OF_CUSTOMER: &str = "UPDATE portal_contacts SET deleted_at = $3, version = version + 1 \
     WHERE org_id = $1 AND customer_id = $2 AND deleted_at IS NULL";
pub(crate) const DELETE_SESSIONS_OF_CUSTOMER: &str =
    "DELETE FROM portal_sessions WHERE org_id = $1 AND customer_id = $2";
pub(crate) const DELETE_TOKENS_OF_CUSTOMER: &str = "DELETE FROM portal_access_tokens \
     WHERE org_id = $1 AND contact_id IN \
     (SELECT id FROM portal_contacts WHERE org_id = $1 AND customer_id = $2)";

pub(crate) const INSERT_CONTACT: &str = concat!(
    "INSERT INTO portal_contacts (",
    contact_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
);
pub(crate) const SELECT_CONTACT: &str = concat!(
    "SELECT ",
    contact_cols!(),
    " FROM portal_contacts WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_CONTACTS_OF_CUSTOMER: &str = concat!(
    "SELECT ",
    contact_cols!(),
    " FROM portal_contacts WHERE org_id = $1 AND customer_id = $2 AND deleted_at IS NULL ORDER BY id"
);
pub(crate) const SELECT_CONTACT_BY_EMAIL: &str = concat!(
    "SELECT ",
    contact_cols!(),
    " FROM portal_contacts WHERE org_id = $1 AND email = $2 AND deleted_at IS NULL"
);
pub(crate) const UPDATE_CONTACT: &str = concat!(
    "UPDATE portal_contacts SET first_name = $4, last_name = $5, email = $6, phone = $7, \
     is_primary = $8, role_id = $9, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL RETURNING ",
    contact_cols!()
);
pub(crate) const UPDATE_CUSTOMER_DETAILS: &str = concat!(
    "UPDATE portal_customers SET display_name = $4, company_name = $5, billing_address = $6, \
     shipping_address = $7, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL RETURNING ",
    customer_cols!()
);
pub(crate) const UPDATE_CONTACT_DETAILS: &str = concat!(
    "UPDATE portal_contacts SET first_name = $5, last_name = $6, phone = $7, version = version + 1 \
     WHERE org_id = $1 AND customer_id = $2 AND id = $3 AND version = $4 AND deleted_at IS NULL \
     RETURNING ",
    contact_cols!()
);
pub(crate) const CONTACT_STATE: &str =
    "SELECT version, deleted_at, portal_status FROM portal_contacts WHERE org_id = $1 AND id = $2";
pub(crate) const DELETE_CONTACT: &str = "UPDATE portal_contacts SET deleted_at = $3, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";
pub(crate) const COUNT_PORTAL_USERS: &str = "SELECT COUNT(*) FROM portal_contacts \
     WHERE org_id = $1 AND deleted_at IS NULL AND portal_status IN ('invited', 'active')";
pub(crate) const SET_CONTACT_STATUS: &str = concat!(
    "UPDATE portal_contacts SET portal_status = $4, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL RETURNING ",
    contact_cols!()
);
pub(crate) const ACTIVATE_CONTACT: &str = concat!(
    "UPDATE portal_contacts SET portal_status = 'active', password_hash = $4, \
     preferences = COALESCE($5, preferences), version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND portal_status = $3 AND deleted_at IS NULL RETURNING ",
    contact_cols!()
);
pub(crate) const DISABLE_CONTACT: &str = concat!(
    "UPDATE portal_contacts SET portal_status = 'disabled', version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL AND portal_status IN ('invited', 'active') \
     RETURNING ",
    contact_cols!()
);
pub(crate) const SET_PASSWORD: &str = concat!(
    "UPDATE portal_contacts SET password_hash = $4, version = version + 1 \
     WHERE org_id = $1 AND id = $2 AND version = $3 AND deleted_at IS NULL \
     AND portal_status = 'active' RETURNING ",
    contact_cols!()
);

pub(crate) const INSERT_TOKEN: &str = concat!(
    "INSERT INTO portal_access_tokens (",
    token_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
);
pub(crate) const SELECT_TOKEN: &str = concat!(
    "SELECT ",
    token_cols!(),
    " FROM portal_access_tokens WHERE hash = $1"
);
/// [`SELECT_TOKEN`] within the organization the token names (`$2`).
pub(crate) const SELECT_TOKEN_IN_ORG: &str = concat!(
    "SELECT ",
    token_cols!(),
    " FROM portal_access_tokens WHERE org_id = $2 AND hash = $1"
);
pub(crate) const CONSUME_TOKEN: &str = "DELETE FROM portal_access_tokens WHERE hash = $1 AND org_id = $2 \
     AND contact_id = $3 AND purpose = $4 AND expires_at > $5 RETURNING id";
pub(crate) const DELETE_TOKENS_OF_CONTACT_FOR: &str =
    "DELETE FROM portal_access_tokens WHERE contact_id = $1 AND purpose = $2 AND org_id = $3";
pub(crate) const DELETE_TOKENS_OF_CONTACT: &str =
    "DELETE FROM portal_access_tokens WHERE contact_id = $1 AND org_id = $2";

pub(crate) const INSERT_FAILURE: &str = "INSERT INTO portal_sign_in_failures \
     (org_id, email, failed_at, client_key) VALUES ($1, $2, $3, $4)";
pub(crate) const PRUNE_FAILURES: &str =
    "DELETE FROM portal_sign_in_failures WHERE org_id = $1 AND email = $2 AND failed_at < $3";
pub(crate) const COUNT_FAILURES: &str =
    "SELECT COUNT(*) FROM portal_sign_in_failures WHERE org_id = $1 AND email = $2";
pub(crate) const SELECT_FAILURES: &str = "SELECT failed_at, client_key FROM portal_sign_in_failures \
     WHERE org_id = $1 AND email = $2 AND failed_at >= $3 ORDER BY failed_at";
pub(crate) const CLEAR_FAILURES: &str =
    "DELETE FROM portal_sign_in_failures WHERE org_id = $1 AND email = $2";

/// A session, inserted only if its contact is the customer's in the organization
/// (no row otherwise): the check and the insert in one statement. The keys come
/// from the contact's row, so that Citus runs it as one task on that row's shard
/// (with bound values it collects the `SELECT` on the coordinator first).
pub(crate) const INSERT_SESSION: &str = concat!(
    "INSERT INTO portal_sessions (",
    session_cols!(),
    ") SELECT $1, $2, org_id, customer_id, id, $6, $7 FROM portal_contacts \
     WHERE org_id = $3 AND customer_id = $4 AND id = $5"
);
pub(crate) const SELECT_SESSION: &str = concat!(
    "SELECT ",
    session_cols!(),
    " FROM portal_sessions WHERE token_hash = $1"
);
/// [`SELECT_SESSION`] within the organization the token names (`$2`).
pub(crate) const SELECT_SESSION_IN_ORG: &str = concat!(
    "SELECT ",
    session_cols!(),
    " FROM portal_sessions WHERE org_id = $2 AND token_hash = $1"
);
/// A contact's columns as `c_…`, from `c`, for the mappers' prefixed forms.
macro_rules! contact_as_c {
    () => {
        "c.id AS c_id, c.org_id AS c_org_id, c.customer_id AS c_customer_id, \
         c.first_name AS c_first_name, c.last_name AS c_last_name, c.email AS c_email, \
         c.phone AS c_phone, c.is_primary AS c_is_primary, c.portal_status AS c_portal_status, \
         c.role_id AS c_role_id, c.password_hash AS c_password_hash, c.preferences AS c_preferences, \
         c.created_at AS c_created_at, c.deleted_at AS c_deleted_at, c.version AS c_version"
    };
}
/// An organization's columns as `o_…`, from `o`.
macro_rules! org_as_o {
    () => {
        "o.id AS o_id, o.name AS o_name, o.slug AS o_slug, o.settings AS o_settings, \
         o.roles AS o_roles, o.portal_user_cap AS o_portal_user_cap, o.created_at AS o_created_at, \
         o.version AS o_version"
    };
}
/// A customer's columns as `u_…`, from `u`.
macro_rules! customer_as_u {
    () => {
        "u.id AS u_id, u.org_id AS u_org_id, u.display_name AS u_display_name, \
         u.company_name AS u_company_name, u.currency AS u_currency, \
         u.billing_address AS u_billing_address, u.shipping_address AS u_shipping_address, \
         u.may_pay_by_bank_account AS u_may_pay_by_bank_account, u.created_at AS u_created_at, \
         u.deleted_at AS u_deleted_at, u.version AS u_version"
    };
}
/// The session and its contact (`c_` columns), customer (`u_`) and organization
/// (`o_`), for the mappers' prefixed forms.
/// The columns and joins of a session's context, without its condition.
macro_rules! session_context {
    () => {
        concat!(
            "SELECT s.id, s.token_hash, s.org_id, \
             s.customer_id, s.contact_id, s.created_at, s.last_seen_at, ",
            contact_as_c!(),
            ", ",
            customer_as_u!(),
            ", ",
            org_as_o!(),
            " FROM portal_sessions s \
             JOIN portal_contacts c ON c.org_id = s.org_id AND c.id = s.contact_id \
             JOIN portal_customers u ON u.org_id = s.org_id AND u.id = s.customer_id \
             JOIN portal_orgs o ON o.id = s.org_id"
        )
    };
}
pub(crate) const SELECT_SESSION_CONTEXT: &str =
    concat!(session_context!(), " WHERE s.token_hash = $1");
/// [`SELECT_SESSION_CONTEXT`] within the organization the token names (`$2`):
/// what every signed-in request runs, on one shard when distributed.
pub(crate) const SELECT_SESSION_CONTEXT_IN_ORG: &str = concat!(
    session_context!(),
    " WHERE s.org_id = $2 AND s.token_hash = $1"
);
/// The live contact of organization `$1` with email `$2` (`c_` columns) and its
/// customer (`u_` columns); the live email is unique in an organization. Signing
/// in reads the organization by its slug first, so this reads one organization's
/// rows (one shard when distributed).
pub(crate) const SELECT_SIGN_IN_CONTACT: &str = concat!(
    "SELECT ",
    contact_as_c!(),
    ", ",
    customer_as_u!(),
    " FROM portal_contacts c \
     JOIN portal_customers u ON u.org_id = c.org_id AND u.id = c.customer_id \
     WHERE c.org_id = $1 AND c.email = $2 AND c.deleted_at IS NULL"
);
pub(crate) const DELETE_SESSION: &str = "DELETE FROM portal_sessions WHERE id = $1 AND org_id = $2";
pub(crate) const DELETE_SESSIONS_OF_CONTACT: &str =
    "DELETE FROM portal_sessions WHERE contact_id = $1 AND org_id = $2";
pub(crate) const DELETE_OTHER_SESSIONS_OF_CONTACT: &str =
    "DELETE FROM portal_sessions WHERE contact_id = $1 AND id <> $2 AND org_id = $3";

pub(crate) const INSERT_EMAIL: &str = concat!(
    "INSERT INTO portal_outbox (",
    email_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
);
pub(crate) const MARK_EMAIL_SENT: &str = "UPDATE portal_outbox SET status = 'sent', attempts = attempts + 1, \
     sent_at = $2, body = '', last_error = NULL WHERE id = $1 AND org_id = $3";
pub(crate) const MARK_EMAIL_DEFERRED: &str = "UPDATE portal_outbox SET attempts = attempts + 1, \
     last_error = $2, next_attempt_at = $3 WHERE id = $1 AND org_id = $4";
pub(crate) const MARK_EMAIL_REJECTED: &str = "UPDATE portal_outbox SET status = 'rejected', \
     attempts = attempts + 1, last_error = $2, next_attempt_at = $3, body = '' WHERE id = $1 AND org_id = $4";
pub(crate) const SELECT_EMAIL: &str = concat!(
    "SELECT ",
    email_cols!(),
    " FROM portal_outbox WHERE org_id = $1 AND id = $2"
);
pub(crate) const SELECT_REJECTED_EMAILS: &str = concat!(
    "SELECT ",
    email_cols!(),
    " FROM portal_outbox WHERE org_id = $1 AND status = 'rejected' \
     ORDER BY next_attempt_at DESC, id DESC LIMIT $2"
);
pub(crate) const SELECT_PENDING_EMAILS: &str = concat!(
    "SELECT ",
    email_cols!(),
    " FROM portal_outbox WHERE org_id = $1 AND status = 'pending' ORDER BY created_at, id LIMIT $2"
);
/// The organizations with emails due at `$1`, the longest waiting first, at most
/// `$2`: the outbox worker's sweep across organizations (every shard, reading
/// only), before it claims each one's emails within it.
pub(crate) const DUE_EMAIL_ORGS: &str = "SELECT org_id FROM portal_outbox \
     WHERE status = 'pending' AND next_attempt_at <= $1 \
     GROUP BY org_id ORDER BY MIN(next_attempt_at), org_id LIMIT $2";
