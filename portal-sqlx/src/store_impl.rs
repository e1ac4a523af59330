//! One implementation of every store trait, instantiated for each engine with that
//! engine's connection, row type, SQL module and timestamp encoding. The engines
//! differ only in what those parameters say; the logic is written once.

macro_rules! sql_store {
    (
        store: $store:ident,
        db: $db:ty,
        conn: $conn:ty,
        row: $row:ty,
        sql: $q:ident,
        ts: $ts:ident $(,)?
    ) => {
        mod engine_store {
            use super::{$q, $store, $ts};
            use async_trait::async_trait;
            use portal_core::{
                AccessStore, AccessToken, Address, ContactId, ContactPerson, ContactStore,
                Currency, Customer, CustomerId, CustomerStore, Email, EmailId, EmailKind,
                EmailStatus, Entity, InvitationBatch, OrgId, OrgStore, Organization, OutboxEmail,
                OutboxStore, PasswordChange, PasswordHash, PortalSettings, PortalSlug,
                PortalStatus, Role, RoleId, Rule, SessionId, SessionRecord, SessionStore,
                StoreError, StoreResult, TokenHash, TokenId, TokenPurpose, TokenRedemption,
                UserPreferences,
            };
            use sqlx::Row as _;
            use sqlx::types::Json;
            use time::OffsetDateTime;
            use uuid::Uuid;

            use crate::error::{corrupt, db};

            pub(super) fn get<'r, T>(row: &'r $row, column: &'static str) -> StoreResult<T>
            where
                T: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
            {
                row.try_get(column).map_err(db)
            }

            pub(super) fn at(row: &$row, column: &'static str) -> StoreResult<OffsetDateTime> {
                $ts::from_db(get(row, column)?)
            }

            pub(super) fn opt_at(
                row: &$row,
                column: &'static str,
            ) -> StoreResult<Option<OffsetDateTime>> {
                get::<Option<$ts::Ts>>(row, column)?
                    .map($ts::from_db)
                    .transpose()
            }

            pub(super) fn count(value: i64, what: &'static str) -> StoreResult<u32> {
                u32::try_from(value).map_err(|_| corrupt(what, value))
            }

            fn org_from(row: &$row) -> StoreResult<Organization> {
                let slug: String = get(row, "slug")?;
                Ok(Organization {
                    id: OrgId::from_uuid(get(row, "id")?),
                    name: get(row, "name")?,
                    slug: PortalSlug::parse(&slug).map_err(|e| corrupt("portal slug", e))?,
                    settings: get::<Json<PortalSettings>>(row, "settings")?.0,
                    roles: get::<Json<Vec<Role>>>(row, "roles")?.0,
                    portal_user_cap: count(get(row, "portal_user_cap")?, "portal user cap")?,
                    created_at: at(row, "created_at")?,
                    version: get(row, "version")?,
                })
            }

            fn customer_from(row: &$row) -> StoreResult<Customer> {
                let currency: String = get(row, "currency")?;
                Ok(Customer {
                    id: CustomerId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    display_name: get(row, "display_name")?,
                    company_name: get(row, "company_name")?,
                    currency: Currency::from_code(&currency).map_err(|e| corrupt("currency", e))?,
                    billing_address: get::<Json<Address>>(row, "billing_address")?.0,
                    shipping_address: get::<Json<Address>>(row, "shipping_address")?.0,
                    may_pay_by_bank_account: get(row, "may_pay_by_bank_account")?,
                    created_at: at(row, "created_at")?,
                    deleted_at: opt_at(row, "deleted_at")?,
                    version: get(row, "version")?,
                })
            }

            fn contact_from(row: &$row) -> StoreResult<ContactPerson> {
                let email: Option<String> = get(row, "email")?;
                let status: String = get(row, "portal_status")?;
                Ok(ContactPerson {
                    id: ContactId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    customer: CustomerId::from_uuid(get(row, "customer_id")?),
                    first_name: get(row, "first_name")?,
                    last_name: get(row, "last_name")?,
                    email: email
                        .map(|e| Email::parse(&e).map_err(|err| corrupt("contact email", err)))
                        .transpose()?,
                    phone: get(row, "phone")?,
                    is_primary: get(row, "is_primary")?,
                    portal_status: PortalStatus::from_db(&status)
                        .ok_or_else(|| corrupt("portal status", &status))?,
                    role: get::<Option<Uuid>>(row, "role_id")?.map(RoleId::from_uuid),
                    password_hash: get::<Option<String>>(row, "password_hash")?
                        .map(PasswordHash::from_phc),
                    preferences: get::<Option<Json<UserPreferences>>>(row, "preferences")?
                        .map(|j| j.0),
                    created_at: at(row, "created_at")?,
                    deleted_at: opt_at(row, "deleted_at")?,
                    version: get(row, "version")?,
                })
            }

            fn hash_from(bytes: Vec<u8>) -> StoreResult<TokenHash> {
                let array: [u8; 32] = bytes
                    .try_into()
                    .map_err(|b: Vec<u8>| corrupt("token hash", format!("{} bytes", b.len())))?;
                Ok(TokenHash::from_bytes(array))
            }

            fn token_from(row: &$row) -> StoreResult<AccessToken> {
                let purpose: String = get(row, "purpose")?;
                Ok(AccessToken {
                    id: TokenId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    contact: ContactId::from_uuid(get(row, "contact_id")?),
                    purpose: TokenPurpose::from_db(&purpose)
                        .ok_or_else(|| corrupt("token purpose", &purpose))?,
                    hash: hash_from(get(row, "hash")?)?,
                    created_at: at(row, "created_at")?,
                    expires_at: at(row, "expires_at")?,
                })
            }

            fn session_from(row: &$row) -> StoreResult<SessionRecord> {
                Ok(SessionRecord {
                    id: SessionId::from_uuid(get(row, "id")?),
                    token_hash: hash_from(get(row, "token_hash")?)?,
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    customer: CustomerId::from_uuid(get(row, "customer_id")?),
                    contact: ContactId::from_uuid(get(row, "contact_id")?),
                    created_at: at(row, "created_at")?,
                    last_seen_at: at(row, "last_seen_at")?,
                })
            }

            fn email_from(row: &$row) -> StoreResult<OutboxEmail> {
                let kind: String = get(row, "kind")?;
                let status: String = get(row, "status")?;
                let to: String = get(row, "recipient")?;
                Ok(OutboxEmail {
                    id: EmailId::from_uuid(get(row, "id")?),
                    org: OrgId::from_uuid(get(row, "org_id")?),
                    kind: EmailKind::from_db(&kind).ok_or_else(|| corrupt("email kind", &kind))?,
                    to: Email::parse(&to).map_err(|e| corrupt("recipient", e))?,
                    subject: get(row, "subject")?,
                    body: get(row, "body")?,
                    status: EmailStatus::from_db(&status)
                        .ok_or_else(|| corrupt("email status", &status))?,
                    attempts: count(get(row, "attempts")?, "attempts")?,
                    next_attempt_at: at(row, "next_attempt_at")?,
                    last_error: get(row, "last_error")?,
                    created_at: at(row, "created_at")?,
                    sent_at: opt_at(row, "sent_at")?,
                })
            }

            async fn insert_contact(conn: &mut $conn, c: &ContactPerson) -> StoreResult<()> {
                sqlx::query($q::INSERT_CONTACT)
                    .bind(c.id.as_uuid())
                    .bind(c.org.as_uuid())
                    .bind(c.customer.as_uuid())
                    .bind(&c.first_name)
                    .bind(&c.last_name)
                    .bind(c.email.as_ref().map(Email::as_str))
                    .bind(&c.phone)
                    .bind(c.is_primary)
                    .bind(c.portal_status.as_str())
                    .bind(c.role.map(|r| r.as_uuid()))
                    .bind(c.password_hash.as_ref().map(PasswordHash::as_phc))
                    .bind(c.preferences.as_ref().map(Json))
                    .bind($ts::to_db(c.created_at))
                    .bind(c.deleted_at.map($ts::to_db))
                    .bind(c.version)
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn insert_token(conn: &mut $conn, t: &AccessToken) -> StoreResult<()> {
                sqlx::query($q::INSERT_TOKEN)
                    .bind(t.id.as_uuid())
                    .bind(t.org.as_uuid())
                    .bind(t.contact.as_uuid())
                    .bind(t.purpose.as_str())
                    .bind(t.hash.as_bytes().as_slice())
                    .bind($ts::to_db(t.created_at))
                    .bind($ts::to_db(t.expires_at))
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                Ok(())
            }

            pub(super) async fn insert_email(conn: &mut $conn, e: &OutboxEmail) -> StoreResult<()> {
                crate::shared::insert_email::<$db>(conn, e).await
            }

            /// Records a portal event in the caller's transaction: see
            /// [`crate::shared::insert_notice`].
            pub(super) async fn insert_notice(
                conn: &mut $conn,
                n: &portal_core::Notice,
            ) -> StoreResult<()> {
                crate::shared::insert_notice::<$db>(conn, n).await
            }

            async fn insert_session(conn: &mut $conn, s: &SessionRecord) -> StoreResult<()> {
                sqlx::query($q::INSERT_SESSION)
                    .bind(s.id.as_uuid())
                    .bind(s.token_hash.as_bytes().as_slice())
                    .bind(s.org.as_uuid())
                    .bind(s.customer.as_uuid())
                    .bind(s.contact.as_uuid())
                    .bind($ts::to_db(s.created_at))
                    .bind($ts::to_db(s.last_seen_at))
                    .execute(&mut *conn)
                    .await
                    .map_err(db)
                    .map_err(|e| match e {
                        StoreError::Conflict(_) => {
                            StoreError::Conflict(Rule::Exists(Entity::Session))
                        }
                        other => other,
                    })?;
                Ok(())
            }

            /// Why a conditional update of a contact touched no row.
            async fn contact_miss(
                conn: &mut $conn,
                org: OrgId,
                id: ContactId,
                version: Option<i64>,
            ) -> StoreError {
                let row = sqlx::query($q::CONTACT_STATE)
                    .bind(org.as_uuid())
                    .bind(id.as_uuid())
                    .fetch_optional(&mut *conn)
                    .await;
                match row {
                    Err(e) => db(e),
                    Ok(None) => StoreError::NotFound(Entity::Contact),
                    Ok(Some(row)) => {
                        let deleted = opt_at(&row, "deleted_at")
                            .map(|d| d.is_some())
                            .unwrap_or(true);
                        let stored: i64 = get(&row, "version").unwrap_or_default();
                        if deleted {
                            StoreError::NotFound(Entity::Contact)
                        } else if version.is_some_and(|v| v != stored) {
                            StoreError::ConcurrentModification(Entity::Contact)
                        } else {
                            StoreError::Conflict(Rule::ContactPortalStatus)
                        }
                    }
                }
            }

            async fn live_contact(
                conn: &mut $conn,
                org: OrgId,
                id: ContactId,
            ) -> StoreResult<ContactPerson> {
                let row = sqlx::query($q::SELECT_CONTACT)
                    .bind(org.as_uuid())
                    .bind(id.as_uuid())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?
                    .ok_or(StoreError::NotFound(Entity::Contact))?;
                let contact = contact_from(&row)?;
                if contact.is_deleted() {
                    return Err(StoreError::NotFound(Entity::Contact));
                }
                Ok(contact)
            }

            async fn end_all_access(conn: &mut $conn, contact: ContactId) -> StoreResult<()> {
                sqlx::query($q::DELETE_SESSIONS_OF_CONTACT)
                    .bind(contact.as_uuid())
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                sqlx::query($q::DELETE_TOKENS_OF_CONTACT)
                    .bind(contact.as_uuid())
                    .execute(&mut *conn)
                    .await
                    .map_err(db)?;
                Ok(())
            }

            #[async_trait]
            impl OrgStore for $store {
                async fn create_org(&self, org: &Organization) -> StoreResult<()> {
                    sqlx::query($q::INSERT_ORG)
                        .bind(org.id.as_uuid())
                        .bind(&org.name)
                        .bind(org.slug.as_str())
                        .bind(Json(&org.settings))
                        .bind(Json(&org.roles))
                        .bind(i64::from(org.portal_user_cap))
                        .bind($ts::to_db(org.created_at))
                        .bind(org.version)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn org(&self, id: OrgId) -> StoreResult<Organization> {
                    let row = sqlx::query($q::SELECT_ORG)
                        .bind(id.as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Organization))?;
                    org_from(&row)
                }

                async fn org_by_slug(&self, slug: &PortalSlug) -> StoreResult<Organization> {
                    let row = sqlx::query($q::SELECT_ORG_BY_SLUG)
                        .bind(slug.as_str())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Organization))?;
                    org_from(&row)
                }

                async fn update_org(&self, org: &Organization) -> StoreResult<Organization> {
                    let row = sqlx::query($q::UPDATE_ORG)
                        .bind(org.id.as_uuid())
                        .bind(org.version)
                        .bind(&org.name)
                        .bind(org.slug.as_str())
                        .bind(Json(&org.settings))
                        .bind(Json(&org.roles))
                        .bind(i64::from(org.portal_user_cap))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    match row {
                        Some(row) => org_from(&row),
                        None => {
                            let exists = sqlx::query($q::ORG_VERSION)
                                .bind(org.id.as_uuid())
                                .fetch_optional(&self.pool)
                                .await
                                .map_err(db)?;
                            Err(match exists {
                                Some(_) => StoreError::ConcurrentModification(Entity::Organization),
                                None => StoreError::NotFound(Entity::Organization),
                            })
                        }
                    }
                }
            }

            #[async_trait]
            impl CustomerStore for $store {
                async fn create_customer(
                    &self,
                    customer: &Customer,
                    contacts: &[ContactPerson],
                ) -> StoreResult<()> {
                    if contacts
                        .iter()
                        .any(|c| c.org != customer.org || c.customer != customer.id)
                    {
                        return Err(StoreError::Conflict(Rule::ContactOfAnotherCustomer));
                    }
                    let mut tx = self.begin().await?;
                    sqlx::query($q::INSERT_CUSTOMER)
                        .bind(customer.id.as_uuid())
                        .bind(customer.org.as_uuid())
                        .bind(&customer.display_name)
                        .bind(&customer.company_name)
                        .bind(customer.currency.code())
                        .bind(Json(&customer.billing_address))
                        .bind(Json(&customer.shipping_address))
                        .bind(customer.may_pay_by_bank_account)
                        .bind($ts::to_db(customer.created_at))
                        .bind(customer.deleted_at.map($ts::to_db))
                        .bind(customer.version)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match db(e) {
                            StoreError::NotFound(_) => StoreError::NotFound(Entity::Organization),
                            other => other,
                        })?;
                    for c in contacts {
                        insert_contact(&mut tx, c).await?;
                    }
                    tx.commit().await.map_err(db)
                }

                async fn customer(&self, org: OrgId, id: CustomerId) -> StoreResult<Customer> {
                    let row = sqlx::query($q::SELECT_CUSTOMER)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Customer))?;
                    customer_from(&row)
                }

                async fn update_customer(&self, customer: &Customer) -> StoreResult<Customer> {
                    let row = sqlx::query($q::UPDATE_CUSTOMER)
                        .bind(customer.org.as_uuid())
                        .bind(customer.id.as_uuid())
                        .bind(customer.version)
                        .bind(&customer.display_name)
                        .bind(&customer.company_name)
                        .bind(customer.currency.code())
                        .bind(Json(&customer.billing_address))
                        .bind(Json(&customer.shipping_address))
                        .bind(customer.may_pay_by_bank_account)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    if let Some(row) = row {
                        return customer_from(&row);
                    }
                    let state = sqlx::query($q::CUSTOMER_STATE)
                        .bind(customer.org.as_uuid())
                        .bind(customer.id.as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    Err(match state {
                        Some(row) if opt_at(&row, "deleted_at")?.is_none() => {
                            StoreError::ConcurrentModification(Entity::Customer)
                        }
                        _ => StoreError::NotFound(Entity::Customer),
                    })
                }

                async fn delete_customer(
                    &self,
                    org: OrgId,
                    id: CustomerId,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    let exists = sqlx::query($q::CUSTOMER_STATE)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound(Entity::Customer));
                    }
                    for statement in [$q::DELETE_CUSTOMER, $q::DELETE_CONTACTS_OF_CUSTOMER] {
                        sqlx::query(statement)
                            .bind(org.as_uuid())
                            .bind(id.as_uuid())
                            .bind($ts::to_db(at))
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    for statement in [
                        $q::DELETE_SESSIONS_OF_CUSTOMER,
                        $q::DELETE_TOKENS_OF_CUSTOMER,
                    ] {
                        sqlx::query(statement)
                            .bind(org.as_uuid())
                            .bind(id.as_uuid())
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)
                }
            }

            #[async_trait]
            impl ContactStore for $store {
                async fn create_contact(&self, contact: &ContactPerson) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    let customer = sqlx::query($q::CUSTOMER_STATE)
                        .bind(contact.org.as_uuid())
                        .bind(contact.customer.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    match customer {
                        Some(row) if opt_at(&row, "deleted_at")?.is_none() => {}
                        _ => return Err(StoreError::NotFound(Entity::Customer)),
                    }
                    insert_contact(&mut tx, contact).await?;
                    tx.commit().await.map_err(db)
                }

                async fn contact(&self, org: OrgId, id: ContactId) -> StoreResult<ContactPerson> {
                    let row = sqlx::query($q::SELECT_CONTACT)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Contact))?;
                    contact_from(&row)
                }

                async fn contacts_of_customer(
                    &self,
                    org: OrgId,
                    customer: CustomerId,
                ) -> StoreResult<Vec<ContactPerson>> {
                    sqlx::query($q::SELECT_CONTACTS_OF_CUSTOMER)
                        .bind(org.as_uuid())
                        .bind(customer.as_uuid())
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?
                        .iter()
                        .map(contact_from)
                        .collect()
                }

                async fn contact_by_email(
                    &self,
                    org: OrgId,
                    email: &Email,
                ) -> StoreResult<ContactPerson> {
                    let row = sqlx::query($q::SELECT_CONTACT_BY_EMAIL)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Contact))?;
                    contact_from(&row)
                }

                async fn update_contact(
                    &self,
                    contact: &ContactPerson,
                ) -> StoreResult<ContactPerson> {
                    let mut tx = self.begin().await?;
                    let row = sqlx::query($q::UPDATE_CONTACT)
                        .bind(contact.org.as_uuid())
                        .bind(contact.id.as_uuid())
                        .bind(contact.version)
                        .bind(&contact.first_name)
                        .bind(&contact.last_name)
                        .bind(contact.email.as_ref().map(Email::as_str))
                        .bind(&contact.phone)
                        .bind(contact.is_primary)
                        .bind(contact.role.map(|r| r.as_uuid()))
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(row) = row else {
                        return Err(contact_miss(
                            &mut tx,
                            contact.org,
                            contact.id,
                            Some(contact.version),
                        )
                        .await);
                    };
                    let saved = contact_from(&row)?;
                    tx.commit().await.map_err(db)?;
                    Ok(saved)
                }

                async fn delete_contact(
                    &self,
                    org: OrgId,
                    id: ContactId,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    let state = sqlx::query($q::CONTACT_STATE)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    if state.is_none() {
                        return Err(StoreError::NotFound(Entity::Contact));
                    }
                    let changed = sqlx::query($q::DELETE_CONTACT)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .bind($ts::to_db(at))
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if changed > 0 {
                        end_all_access(&mut tx, id).await?;
                    }
                    tx.commit().await.map_err(db)
                }

                async fn forward_document(
                    &self,
                    new_contact: Option<&ContactPerson>,
                    email: &OutboxEmail,
                ) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    if let Some(contact) = new_contact {
                        let customer = sqlx::query($q::CUSTOMER_STATE)
                            .bind(contact.org.as_uuid())
                            .bind(contact.customer.as_uuid())
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        match customer {
                            Some(row) if opt_at(&row, "deleted_at")?.is_none() => {}
                            _ => return Err(StoreError::NotFound(Entity::Customer)),
                        }
                        insert_contact(&mut tx, contact).await?;
                    }
                    insert_email(&mut tx, email).await?;
                    tx.commit().await.map_err(db)
                }

                async fn update_details(
                    &self,
                    change: &portal_core::DetailsChange,
                ) -> StoreResult<(Customer, ContactPerson)> {
                    let (c, p) = (&change.customer, &change.contact);
                    let mut tx = self.begin().await?;
                    let customer_row = sqlx::query($q::UPDATE_CUSTOMER_DETAILS)
                        .bind(change.org.as_uuid())
                        .bind(c.id.as_uuid())
                        .bind(c.version)
                        .bind(&c.display_name)
                        .bind(&c.company_name)
                        .bind(Json(&c.billing_address))
                        .bind(Json(&c.shipping_address))
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(customer_row) = customer_row else {
                        let state = sqlx::query($q::CUSTOMER_STATE)
                            .bind(change.org.as_uuid())
                            .bind(c.id.as_uuid())
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        return Err(match state {
                            Some(row) if opt_at(&row, "deleted_at")?.is_none() => {
                                StoreError::ConcurrentModification(Entity::Customer)
                            }
                            _ => StoreError::NotFound(Entity::Customer),
                        });
                    };
                    let contact_row = sqlx::query($q::UPDATE_CONTACT_DETAILS)
                        .bind(change.org.as_uuid())
                        .bind(c.id.as_uuid())
                        .bind(p.id.as_uuid())
                        .bind(p.version)
                        .bind(&p.first_name)
                        .bind(&p.last_name)
                        .bind(&p.phone)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(contact_row) = contact_row else {
                        return Err(
                            match contact_miss(&mut tx, change.org, p.id, Some(p.version)).await {
                                StoreError::ConcurrentModification(w) => {
                                    StoreError::ConcurrentModification(w)
                                }
                                // Deleted, unknown, or another customer's contact.
                                _ => StoreError::NotFound(Entity::Contact),
                            },
                        );
                    };
                    insert_notice(&mut tx, &change.notice).await?;
                    let out = (customer_from(&customer_row)?, contact_from(&contact_row)?);
                    tx.commit().await.map_err(db)?;
                    Ok(out)
                }

                async fn count_portal_users(&self, org: OrgId) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar($q::COUNT_PORTAL_USERS)
                        .bind(org.as_uuid())
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)?;
                    u64::try_from(n).map_err(|_| corrupt("count", n))
                }
            }

            #[async_trait]
            impl AccessStore for $store {
                async fn issue_invitations(
                    &self,
                    batch: &InvitationBatch,
                ) -> StoreResult<Vec<ContactPerson>> {
                    let mut seen = std::collections::HashSet::new();
                    for inv in &batch.invitations {
                        if inv.contact.org != batch.org
                            || inv.token.org != batch.org
                            || inv.email.org != batch.org
                        {
                            return Err(StoreError::Conflict(
                                Rule::InvitationOfAnotherOrganization,
                            ));
                        }
                        if !seen.insert(inv.contact.id) {
                            return Err(StoreError::Conflict(Rule::ContactInvitedTwice));
                        }
                    }
                    let mut tx = self.begin().await?;
                    // Serializes invitations per organization so the cap holds.
                    sqlx::query($q::LOCK_ORG)
                        .bind(batch.org.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Organization))?;
                    let mut out = Vec::with_capacity(batch.invitations.len());
                    for inv in &batch.invitations {
                        let c = &inv.contact;
                        let row = sqlx::query($q::SET_CONTACT_STATUS)
                            .bind(c.org.as_uuid())
                            .bind(c.id.as_uuid())
                            .bind(c.version)
                            .bind(c.portal_status.as_str())
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        let Some(row) = row else {
                            return Err(contact_miss(&mut tx, c.org, c.id, Some(c.version)).await);
                        };
                        sqlx::query($q::DELETE_TOKENS_OF_CONTACT_FOR)
                            .bind(c.id.as_uuid())
                            .bind(TokenPurpose::Invitation.as_str())
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        insert_token(&mut tx, &inv.token).await?;
                        insert_email(&mut tx, &inv.email).await?;
                        out.push(contact_from(&row)?);
                    }
                    let users: i64 = sqlx::query_scalar($q::COUNT_PORTAL_USERS)
                        .bind(batch.org.as_uuid())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                    let cap = i64::from(batch.portal_user_cap);
                    if users > cap {
                        return Err(StoreError::LimitReached {
                            what: portal_core::Limit::PortalUsers,
                            limit: u64::from(batch.portal_user_cap),
                        });
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(out)
                }

                async fn issue_password_reset(
                    &self,
                    token: &AccessToken,
                    email: &OutboxEmail,
                ) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    live_contact(&mut tx, token.org, token.contact).await?;
                    sqlx::query($q::DELETE_TOKENS_OF_CONTACT_FOR)
                        .bind(token.contact.as_uuid())
                        .bind(TokenPurpose::PasswordReset.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    insert_token(&mut tx, token).await?;
                    insert_email(&mut tx, email).await?;
                    tx.commit().await.map_err(db)
                }

                async fn access_token(&self, hash: &TokenHash) -> StoreResult<AccessToken> {
                    let row = sqlx::query($q::SELECT_TOKEN)
                        .bind(hash.as_bytes().as_slice())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Token))?;
                    token_from(&row)
                }

                async fn redeem_token(&self, r: &TokenRedemption) -> StoreResult<ContactPerson> {
                    let mut tx = self.begin().await?;
                    // Deleting the token first makes a concurrent redemption wait on it and
                    // then find nothing.
                    sqlx::query($q::CONSUME_TOKEN)
                        .bind(r.token_hash.as_bytes().as_slice())
                        .bind(r.org.as_uuid())
                        .bind(r.contact.as_uuid())
                        .bind(r.purpose.as_str())
                        .bind($ts::to_db(r.now))
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Token))?;
                    let required = match r.purpose {
                        TokenPurpose::Invitation => PortalStatus::Invited,
                        TokenPurpose::PasswordReset => PortalStatus::Active,
                    };
                    let row = sqlx::query($q::ACTIVATE_CONTACT)
                        .bind(r.org.as_uuid())
                        .bind(r.contact.as_uuid())
                        .bind(required.as_str())
                        .bind(r.password_hash.as_phc())
                        .bind(r.preferences.as_ref().map(Json))
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(row) = row else {
                        return Err(match contact_miss(&mut tx, r.org, r.contact, None).await {
                            StoreError::NotFound(_) => {
                                StoreError::Conflict(Rule::ContactPortalStatus)
                            }
                            other => other,
                        });
                    };
                    let saved = contact_from(&row)?;
                    sqlx::query($q::DELETE_TOKENS_OF_CONTACT_FOR)
                        .bind(r.contact.as_uuid())
                        .bind(r.purpose.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query($q::DELETE_SESSIONS_OF_CONTACT)
                        .bind(r.contact.as_uuid())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    if let Some(session) = &r.new_session {
                        insert_session(&mut tx, session).await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(saved)
                }

                async fn disable_access(
                    &self,
                    org: OrgId,
                    contacts: &[ContactId],
                ) -> StoreResult<Vec<ContactPerson>> {
                    let mut tx = self.begin().await?;
                    let mut out = Vec::new();
                    for id in contacts {
                        let row = sqlx::query($q::DISABLE_CONTACT)
                            .bind(org.as_uuid())
                            .bind(id.as_uuid())
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        if let Some(row) = row {
                            end_all_access(&mut tx, *id).await?;
                            out.push(contact_from(&row)?);
                        }
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(out)
                }

                async fn record_sign_in_failure(
                    &self,
                    org: OrgId,
                    email: &Email,
                    at: OffsetDateTime,
                    window_start: OffsetDateTime,
                ) -> StoreResult<u32> {
                    let mut tx = self.begin().await?;
                    sqlx::query($q::INSERT_FAILURE)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .bind($ts::to_db(at))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match db(e) {
                            StoreError::NotFound(_) => StoreError::NotFound(Entity::Organization),
                            other => other,
                        })?;
                    sqlx::query($q::PRUNE_FAILURES)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .bind($ts::to_db(window_start))
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    let n: i64 = sqlx::query_scalar($q::COUNT_FAILURES)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    count(n, "failure count")
                }

                async fn sign_in_failures(
                    &self,
                    org: OrgId,
                    email: &Email,
                    since: OffsetDateTime,
                ) -> StoreResult<Vec<OffsetDateTime>> {
                    sqlx::query($q::SELECT_FAILURES)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .bind($ts::to_db(since))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?
                        .iter()
                        .map(|row| at(row, "failed_at"))
                        .collect()
                }

                async fn clear_sign_in_failures(
                    &self,
                    org: OrgId,
                    email: &Email,
                ) -> StoreResult<()> {
                    sqlx::query($q::CLEAR_FAILURES)
                        .bind(org.as_uuid())
                        .bind(email.as_str())
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
            }

            #[async_trait]
            impl SessionStore for $store {
                async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
                    let mut tx = self.begin().await?;
                    let exists = sqlx::query($q::CONTACT_STATE)
                        .bind(session.org.as_uuid())
                        .bind(session.contact.as_uuid())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound(Entity::Contact));
                    }
                    insert_session(&mut tx, session).await?;
                    tx.commit().await.map_err(db)
                }

                async fn session(&self, token_hash: &TokenHash) -> StoreResult<SessionRecord> {
                    let row = sqlx::query($q::SELECT_SESSION)
                        .bind(token_hash.as_bytes().as_slice())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::Session))?;
                    session_from(&row)
                }

                async fn touch_session(
                    &self,
                    id: SessionId,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let changed = sqlx::query($q::TOUCH_SESSION)
                        .bind(id.as_uuid())
                        .bind($ts::to_db(at))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if changed == 0 {
                        return Err(StoreError::NotFound(Entity::Session));
                    }
                    Ok(())
                }

                async fn end_session(&self, id: SessionId) -> StoreResult<()> {
                    sqlx::query($q::DELETE_SESSION)
                        .bind(id.as_uuid())
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn change_password(
                    &self,
                    change: &PasswordChange,
                ) -> StoreResult<ContactPerson> {
                    let mut tx = self.begin().await?;
                    let row = sqlx::query($q::SET_PASSWORD)
                        .bind(change.org.as_uuid())
                        .bind(change.contact.as_uuid())
                        .bind(change.expected_version)
                        .bind(change.password_hash.as_phc())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                    let Some(row) = row else {
                        return Err(contact_miss(
                            &mut tx,
                            change.org,
                            change.contact,
                            Some(change.expected_version),
                        )
                        .await);
                    };
                    let saved = contact_from(&row)?;
                    match change.keep_session {
                        Some(keep) => sqlx::query($q::DELETE_OTHER_SESSIONS_OF_CONTACT)
                            .bind(change.contact.as_uuid())
                            .bind(keep.as_uuid()),
                        None => sqlx::query($q::DELETE_SESSIONS_OF_CONTACT)
                            .bind(change.contact.as_uuid()),
                    }
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    Ok(saved)
                }
            }

            #[async_trait]
            impl OutboxStore for $store {
                async fn enqueue_email(&self, email: &OutboxEmail) -> StoreResult<()> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    insert_email(&mut conn, email).await
                }

                async fn claim_due_emails(
                    &self,
                    now: OffsetDateTime,
                    lease_until: OffsetDateTime,
                    limit: u32,
                ) -> StoreResult<Vec<OutboxEmail>> {
                    let mut tx = self.begin().await?;
                    let rows = sqlx::query($q::CLAIM_EMAILS)
                        .bind($ts::to_db(now))
                        .bind($ts::to_db(lease_until))
                        .bind(i64::from(limit))
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db)?;
                    tx.commit().await.map_err(db)?;
                    let mut emails = rows
                        .iter()
                        .map(email_from)
                        .collect::<StoreResult<Vec<_>>>()?;
                    emails.sort_by_key(|e| (e.created_at, e.id));
                    Ok(emails)
                }

                async fn mark_email_sent(
                    &self,
                    id: EmailId,
                    at: OffsetDateTime,
                ) -> StoreResult<()> {
                    let changed = sqlx::query($q::MARK_EMAIL_SENT)
                        .bind(id.as_uuid())
                        .bind($ts::to_db(at))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if changed == 0 {
                        return Err(StoreError::NotFound(Entity::OutboxEmail));
                    }
                    Ok(())
                }

                async fn mark_email_failed(
                    &self,
                    id: EmailId,
                    error: &str,
                    next_attempt_at: OffsetDateTime,
                    retry: bool,
                ) -> StoreResult<()> {
                    let statement = if retry {
                        $q::MARK_EMAIL_DEFERRED
                    } else {
                        $q::MARK_EMAIL_REJECTED
                    };
                    let changed = sqlx::query(statement)
                        .bind(id.as_uuid())
                        .bind(error)
                        .bind($ts::to_db(next_attempt_at))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?
                        .rows_affected();
                    if changed == 0 {
                        return Err(StoreError::NotFound(Entity::OutboxEmail));
                    }
                    Ok(())
                }

                async fn outbox_email(&self, org: OrgId, id: EmailId) -> StoreResult<OutboxEmail> {
                    let row = sqlx::query($q::SELECT_EMAIL)
                        .bind(org.as_uuid())
                        .bind(id.as_uuid())
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?
                        .ok_or(StoreError::NotFound(Entity::OutboxEmail))?;
                    email_from(&row)
                }

                async fn pending_emails(
                    &self,
                    org: OrgId,
                    limit: u32,
                ) -> StoreResult<Vec<OutboxEmail>> {
                    sqlx::query($q::SELECT_PENDING_EMAILS)
                        .bind(org.as_uuid())
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?
                        .iter()
                        .map(email_from)
                        .collect()
                }
            }
        }
    };
}

pub(crate) use sql_store;
