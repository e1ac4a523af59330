//! The portal-side probes: every portal call with hostile input.

use super::*;

#[allow(clippy::too_many_lines)]
pub(crate) async fn probe_portal_side(c: &mut Checker<'_>) {
    let (w, input) = (c.w, c.input);
    let s = &w.session;
    let admin = w.env.portal.org(w.org.id);
    let text = input.text.as_str();
    let uuid = uuid::Uuid::from_u128(input.id);
    let usd = w.customer.currency;
    let money = Currency::from_code(&input.currency)
        .ok()
        .and_then(|cur| Money::new(input.decimal, cur).ok());
    let day = time::Date::from_julian_day(2_461_000 + input.day).unwrap_or(date!(2026 - 05 - 04));

    for target in [
        CommentTarget::Document(portal_core::domain::DocumentRef::Quote(w.quote.id)),
        CommentTarget::Project(w.project),
        CommentTarget::Approval(w.approval),
        CommentTarget::Document(portal_core::domain::DocumentRef::Invoice(w.invoice)),
    ] {
        c.probe(
            "comment",
            s.comments().add(target, text),
            comment_check(text),
        )
        .await;
    }
    c.probe(
        "email org subject",
        s.messages().email_org(text, VALID),
        no_check,
    )
    .await;
    c.probe(
        "email org message",
        s.messages().email_org(VALID, text),
        no_check,
    )
    .await;
    c.probe(
        "review",
        s.reviews().write(text),
        |r: &portal_core::domain::Review| {
            (!reads_back(&r.body, text)).then(|| "body changed".into())
        },
    )
    .await;
    c.probe(
        "forward address",
        s.messages()
            .forward(DocumentRef::Quote(w.quote.id), text, None),
        no_check,
    )
    .await;
    c.probe(
        "forward note",
        s.messages().forward(
            DocumentRef::Invoice(w.invoice),
            "forwarded@example.com",
            Some(text),
        ),
        no_check,
    )
    .await;
    let current = s.profile().get().await.expect("details");
    for field in 0..5 {
        let mut update = current.clone();
        match field {
            0 => update.display_name = text.into(),
            1 => update.company_name = text.into(),
            2 => update.first_name = text.into(),
            3 => update.last_name = text.into(),
            _ => update.phone = text.into(),
        }
        c.probe("update details", s.profile().update(update), no_check)
            .await;
        let read = s.profile().get().await.expect("details");
        let stored = [
            &read.display_name,
            &read.company_name,
            &read.first_name,
            &read.last_name,
            &read.phone,
        ][field];
        if read != current && !reads_back(stored, text) {
            c.failures.push(format!(
                "update details field {field}: read back as {stored:?}; input {input:?}"
            ));
        }
    }
    let field = usize::try_from(input.minutes % 8).unwrap_or(0);
    let mut update = current.clone();
    update.billing_address = address_with(field, text);
    c.probe(
        "update address",
        s.profile().update(update),
        |(customer, _)| {
            (customer.billing_address != address_with(field, text)
                && customer.billing_address != address_with(field, text.trim()))
            .then(|| format!("address read back as {:?}", customer.billing_address))
        },
    )
    .await;
    c.probe(
        "decline reason",
        s.quotes().decline(QuoteId::from_uuid(uuid), Some(text)),
        no_check,
    )
    .await;
    // A fresh quote per input, so that an accepted signature is stored and read.
    let quote = admin
        .quotes()
        .create(
            w.customer.id,
            NewQuote {
                number: unique("SIG"),
                lines: vec![line(VALID, Decimal::ONE, Decimal::ONE)],
                issue_date: date!(2026 - 05 - 01),
                expiry_date: date!(2027 - 05 - 01),
            },
        )
        .await
        .expect("quote");
    admin.quotes().send(quote.id).await.expect("send");
    let hash = s.quotes().get(quote.id).await.expect("view").content_hash();
    for (signer, mark) in [
        (text, SignatureMark::Typed(VALID.into())),
        (VALID, SignatureMark::Typed(text.into())),
        (VALID, SignatureMark::Drawn(text.into())),
    ] {
        let input_mark = mark.clone();
        c.probe(
            "accept with signature",
            s.quotes().accept(
                quote.id,
                &hash,
                Some(SignatureInput {
                    signer_name: signer.into(),
                    mark,
                }),
            ),
            |q: &Quote| {
                let sig = q.signature.as_ref()?;
                let same_mark = sig.mark == input_mark
                    || matches!((&sig.mark, &input_mark),
                        (SignatureMark::Typed(a), SignatureMark::Typed(b)) if reads_back(a, b));
                (!reads_back(&sig.signer_name, signer) || !same_mark)
                    .then(|| format!("signature read back as {sig:?}"))
            },
        )
        .await;
    }
    if let Ok(read) = s.quotes().get(quote.id).await
        && let Some(sig) = read.signature
        && !(reads_back(&sig.signer_name, text) || sig.signer_name == VALID)
    {
        c.failures
            .push(format!("signature stored as {sig:?}; input {input:?}"));
    }
    c.probe(
        "reject timesheet",
        s.approvals().decide(
            ApprovalId::from_uuid(uuid),
            &ApprovalDecision::Reject {
                reason: text.into(),
            },
        ),
        no_check,
    )
    .await;
    let name = format!("{text}.pdf");
    c.probe(
        "upload",
        s.files().upload(&name, PDF),
        |f: &portal_core::domain::SharedFile| {
            (!reads_back(&f.name, &name)).then(|| "name changed".into())
        },
    )
    .await;
    c.probe(
        "change password",
        s.profile()
            .change_password(text, "another long pass phrase", "another long pass phrase"),
        no_check,
    )
    .await;

    // Payment details, one field at a time; amounts; keys.
    let card = |field: usize| {
        let mut card = CardDetails {
            number: portal_memory::cards::VISA_OK.into(),
            cvv: "314".into(),
            exp_month: 12,
            exp_year: 2031,
            holder: VALID.into(),
            billing_address: address_with(0, VALID),
            country: "PT".into(),
        };
        match field {
            0 => card.number = text.into(),
            1 => card.cvv = text.into(),
            2 => card.holder = text.into(),
            3 => card.country = text.into(),
            f => card.billing_address = address_with(f - 4, text),
        }
        PaySource::Card(Box::new(card))
    };
    let bank = |field: usize| {
        let mut bank = BankDetails {
            routing_number: "110000000".into(),
            account_number: "000123456789".into(),
            holder: VALID.into(),
        };
        match field {
            0 => bank.routing_number = text.into(),
            1 => bank.account_number = text.into(),
            _ => bank.holder = text.into(),
        }
        PaySource::BankAccount(bank)
    };
    let card_field = field + usize::from(input.minutes % 5 == 0) * 4;
    let by_bank = input.minutes % 3 == 0;
    let source = if by_bank {
        bank(field % 3)
    } else {
        card(card_field)
    };
    let expected_address = if by_bank {
        Address::default()
    } else if card_field >= 4 {
        address_with(card_field - 4, text)
    } else {
        address_with(0, VALID)
    };
    c.probe(
        "pay",
        s.invoices().pay(PayRequest {
            invoices: InvoiceSelection::Chosen(vec![w.invoice]),
            amount: money,
            source: source.clone(),
            idempotency_key: format!("fuzz-{}", input.id),
        }),
        no_check,
    )
    .await;
    c.probe(
        "save method",
        s.payment_methods().save("test", source),
        |m: &portal_core::domain::SavedPaymentMethod| {
            (m.billing_address != expected_address)
                .then(|| format!("address read back as {:?}", m.billing_address))
        },
    )
    .await;
    c.probe(
        "pay with a hostile key",
        s.invoices().pay(PayRequest {
            invoices: InvoiceSelection::AllOutstanding,
            amount: money,
            source: PaySource::Saved(portal_core::domain::SavedMethodId::from_uuid(uuid)),
            idempotency_key: text.into(),
        }),
        no_check,
    )
    .await;
    c.probe(
        "save with a hostile gateway",
        s.payment_methods().save(text, card(2)),
        no_check,
    )
    .await;
    c.probe(
        "preview credit",
        s.credits().preview(w.invoice, money),
        no_check,
    )
    .await;
    c.probe(
        "apply credit",
        s.credits().apply(w.invoice, money),
        no_check,
    )
    .await;

    // Ids, cursors, dates, tokens.
    c.probe(
        "payments page",
        s.payments().list(Some(&input.cursor), 10),
        no_check,
    )
    .await;
    c.probe(
        "payments page size",
        s.payments().list(None, input.minutes),
        no_check,
    )
    .await;
    if let Ok(page) = PageRequest::after(&input.cursor, 10) {
        c.probe("files page", s.files().list(&page), no_check).await;
        c.probe("projects page", s.projects().list(&page), no_check)
            .await;
        c.probe("approvals page", s.approvals().list(&[], &page), no_check)
            .await;
        c.probe("time page", s.projects().time(w.project, &page), no_check)
            .await;
    }
    let mut query = InvoiceQuery::new(day);
    query.after = Cursor::decode(&input.cursor).ok();
    c.probe("invoice page", s.invoices().list(&query), no_check)
        .await;
    c.probe(
        "statement",
        s.statement(StatementPeriod::Custom {
            from: day,
            to: date!(2026 - 05 - 04),
        }),
        no_check,
    )
    .await;
    c.probe(
        "invoice by id",
        s.invoices().get(InvoiceId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "quote by id",
        s.quotes().get(QuoteId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "sales order by id",
        s.sales_orders().get(SalesOrderId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "payment by id",
        s.payments().get(PaymentId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "project by id",
        s.projects().get(ProjectId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "approval by id",
        s.approvals().get(ApprovalId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "download by id",
        s.files().download(FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe("session token", w.env.portal.session(text), no_check)
        .await;
    c.probe(
        "sign in",
        w.env.portal.sign_in(
            text,
            "someone@example.com",
            text,
            &portal_core::auth::ClientKey::unknown(),
        ),
        no_check,
    )
    .await;
    c.probe(
        "accept invitation",
        w.env.portal.accept_invitation(
            text,
            AcceptInvitation {
                password: text.into(),
                password_confirmation: text.into(),
                preferences: None,
            },
        ),
        no_check,
    )
    .await;
    c.probe(
        "reset password",
        w.env.portal.reset_password(text, text, text),
        no_check,
    )
    .await;
    c.probe(
        "delete upload by id",
        s.files().delete(FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    let saved = s
        .payment_methods()
        .list()
        .await
        .ok()
        .and_then(|m| m.first().map(|m| m.id))
        .unwrap_or(portal_core::domain::SavedMethodId::from_uuid(uuid));
    c.probe(
        "update saved method",
        s.payment_methods()
            .update(saved, 12, 2031, address_with(field, text)),
        no_check,
    )
    .await;
    c.probe(
        "reset request",
        w.env.portal.request_password_reset(text, text),
        no_check,
    )
    .await;
    let _ = usd;
}
