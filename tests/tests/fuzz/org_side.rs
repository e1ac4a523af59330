//! The org-side probes: every org call with hostile input.

use super::*;

#[allow(clippy::too_many_lines)]
pub(crate) async fn probe_org_side(c: &mut Checker<'_>) {
    let (w, input) = (c.w, c.input);
    let admin = w.env.portal.org(w.org.id);
    let text = input.text.as_str();
    let uuid = uuid::Uuid::from_u128(input.id);
    let usd = w.customer.currency;
    let currency = Currency::from_code(&input.currency);
    let money = currency
        .clone()
        .ok()
        .and_then(|cur| Money::new(input.decimal, cur).ok());
    let day = time::Date::from_julian_day(2_461_000 + input.day).unwrap_or(date!(2026 - 05 - 04));
    let one = Money::from_minor_units(100, usd);
    let at = portal_core::clock::Clock::now(&*w.env.clock);

    for field in 0..6 {
        let mut customer = NewCustomer::new(VALID, currency.clone().unwrap_or(usd));
        let mut contact = NewContact::new(VALID, VALID, None);
        match field {
            0 => customer.display_name = text.into(),
            1 => customer.company_name = text.into(),
            2 => {
                customer.billing_address =
                    address_with(usize::try_from(input.minutes % 8).unwrap_or(0), text)
            }
            3 => contact.first_name = text.into(),
            4 => contact.last_name = text.into(),
            _ => contact.phone = text.into(),
        }
        c.probe(
            "create customer",
            admin.customers().create(customer, vec![contact]),
            no_check,
        )
        .await;
    }
    let invoice = |number: &str, line: LineItem, gateway: &str| NewInvoice {
        kind: InvoiceKind::Invoice,
        number: number.into(),
        lines: vec![line],
        issue_date: day,
        due_date: day,
        allow_partial_payments: false,
        payment_gateways: vec![gateway.into()],
    };
    let valid_line = || line(VALID, Decimal::ONE, Decimal::ONE);
    let hostile_line = |k: u32| {
        let mut l = valid_line();
        match k % 5 {
            0 => l.quantity = input.decimal,
            1 => l.rate = input.decimal,
            2 => l.discount_percent = input.decimal,
            3 => l.tax_percent = input.decimal,
            _ => l.description = text.into(),
        }
        l
    };
    for (number, line, gateway) in [
        (text.to_owned(), valid_line(), "test"),
        (unique("FZ"), line(text, Decimal::ONE, Decimal::ONE), "test"),
        (unique("FZ"), hostile_line(input.minutes), "test"),
        (unique("FZ"), valid_line(), text),
    ] {
        c.probe(
            "create invoice",
            admin
                .invoices()
                .create(w.customer.id, invoice(&number, line.clone(), gateway)),
            |i: &portal_core::domain::Invoice| {
                (!reads_back(&i.lines[0].description, &line.description)
                    || !reads_back(&i.number, &number))
                .then(|| format!("read back as {:?} / {:?}", i.number, i.lines[0].description))
            },
        )
        .await;
    }
    c.probe(
        "duplicate invoice number",
        admin
            .invoices()
            .create(w.customer.id, invoice("FZ-I", valid_line(), "test")),
        no_check,
    )
    .await;
    for (number, line) in [
        (text.to_owned(), valid_line()),
        (unique("FZ"), hostile_line(input.minutes.wrapping_add(4))),
    ] {
        c.probe(
            "create quote",
            admin.quotes().create(
                w.customer.id,
                NewQuote {
                    number: number.clone(),
                    lines: vec![line.clone()],
                    issue_date: day,
                    expiry_date: day,
                },
            ),
            no_check,
        )
        .await;
        c.probe(
            "create sales order",
            admin.sales_orders().create(
                w.customer.id,
                NewSalesOrder {
                    number,
                    lines: vec![line],
                    order_date: day,
                    shipment_date: None,
                },
            ),
            no_check,
        )
        .await;
    }
    c.probe(
        "offline payment mode",
        admin
            .invoices()
            .record_offline_payment(w.customer.id, one, text, at, &[w.invoice]),
        no_check,
    )
    .await;
    c.probe(
        "credit note number",
        admin.credits().create_note(w.customer.id, text, one, day),
        no_check,
    )
    .await;
    c.probe(
        "refund mode",
        admin.credits().refund(
            w.customer.id,
            portal_core::domain::CreditSource::Payment(PaymentId::from_uuid(uuid)),
            one,
            text,
            at,
        ),
        no_check,
    )
    .await;
    if let Some(amount) = money {
        c.probe(
            "offline payment amount",
            admin.invoices().record_offline_payment(
                w.customer.id,
                amount,
                "cash",
                at,
                &[w.invoice],
            ),
            no_check,
        )
        .await;
        c.probe(
            "credit note amount",
            admin
                .credits()
                .create_note(w.customer.id, &unique("CN"), amount, day),
            no_check,
        )
        .await;
    }
    c.probe(
        "org comment",
        admin.comments().add(
            w.customer.id,
            CommentTarget::Document(portal_core::domain::DocumentRef::Quote(w.quote.id)),
            text,
            true,
        ),
        comment_check(text),
    )
    .await;
    c.probe(
        "banner",
        admin.update_settings(|s| s.banner = Some(text.to_owned())),
        no_check,
    )
    .await;
    for field in 0..3 {
        c.probe(
            "org contact details",
            admin.update_settings(|s| match field {
                0 => s.contact_details.name = text.to_owned(),
                1 => s.contact_details.phone = text.to_owned(),
                _ => s.contact_details.address = text.to_owned(),
            }),
            no_check,
        )
        .await;
    }
    c.probe("slug", admin.change_slug(text), no_check).await;
    c.probe(
        "role",
        admin.roles().create(text, Permissions::default()),
        no_check,
    )
    .await;
    c.probe(
        "project name",
        admin.projects().create(w.customer.id, text, ""),
        no_check,
    )
    .await;
    c.probe(
        "project description",
        admin.projects().create(w.customer.id, VALID, text),
        no_check,
    )
    .await;
    c.probe(
        "task",
        admin.projects().add_task(w.project, text, true),
        no_check,
    )
    .await;
    let entry = |note: &str, minutes: u32| NewTimeEntry {
        task: w.task,
        date: day,
        minutes,
        note: note.into(),
    };
    c.probe(
        "time note",
        admin.projects().log_time(w.project, entry(text, 30)),
        no_check,
    )
    .await;
    c.probe(
        "time minutes",
        admin
            .projects()
            .log_time(w.project, entry(VALID, input.minutes)),
        no_check,
    )
    .await;
    if let Ok(e) = admin.projects().log_time(w.project, entry(VALID, 15)).await {
        c.probe(
            "timesheet title",
            admin.approvals().send(w.project, text, &[e.id]),
            no_check,
        )
        .await;
    }
    let name = format!("{text}.pdf");
    c.probe(
        "share file",
        admin.files().share(w.customer.id, &name, PDF),
        no_check,
    )
    .await;
    // Contacts, ids and the rest of the org side.
    for field in 0..3 {
        let mut contact = NewContact::new(VALID, VALID, None);
        match field {
            0 => contact.first_name = text.into(),
            1 => contact.last_name = text.into(),
            _ => contact.phone = text.into(),
        }
        c.probe(
            "add contact",
            admin.contacts().add(w.customer.id, contact.clone()),
            no_check,
        )
        .await;
        c.probe(
            "update contact",
            admin
                .contacts()
                .update(portal_core::domain::ContactId::from_uuid(uuid), contact),
            no_check,
        )
        .await;
    }
    c.probe(
        "edit draft invoice",
        admin.invoices().edit_draft(
            InvoiceId::from_uuid(uuid),
            invoice(
                &unique("FZ"),
                line(text, Decimal::ONE, Decimal::ONE),
                "test",
            ),
        ),
        no_check,
    )
    .await;
    c.probe(
        "convert quote",
        admin
            .quotes()
            .convert_to_invoice(w.quote.id, text, day, day, vec!["test".into()]),
        no_check,
    )
    .await;
    c.probe(
        "user cap",
        admin.set_portal_user_cap(input.minutes),
        no_check,
    )
    .await;
    c.probe(
        "org invoice by id",
        admin.invoices().get(InvoiceId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "org download by id",
        admin
            .files()
            .download(w.customer.id, FileId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "org customer by id",
        admin
            .customers()
            .get(portal_core::domain::CustomerId::from_uuid(uuid)),
        no_check,
    )
    .await;
    c.probe(
        "invitation template",
        async {
            let template = portal_core::domain::InvitationTemplate::new(text, "{invitation_link}")?;
            admin
                .update_settings(|s| s.invitation_template = template.clone())
                .await
        },
        no_check,
    )
    .await;
}
