# The portal's emails, in English: the reference every other language follows
# (the same messages, the same variables). Plain text: no isolation marks are
# added around variables (see portal_core::i18n).

## Documents named in emails

doc-invoice = Invoice { $number }
doc-quote = Quote { $number }
doc-sales-order = Sales order { $number }
summary-invoice = Invoice { $number } for { $total }, { $balance } due by { $due }.
summary-quote = Quote { $number } for { $total }, valid until { $expiry }.
summary-sales-order = Sales order { $number } for { $total }, ordered on { $date }.

## Invitation (the organization's default template)

invitation-subject = You are invited to the { $org } customer portal
invitation-body =
    Hello { $name },

    { $org } has invited you to its customer portal, where you can see quotes, invoices and payments of { $customer }.

    Accept the invitation: { $link }

    The link works once and expires. The portal is at { $url }.

## Password reset

reset-subject = Reset your { $org } portal password
reset-body =
    Hello { $name },

    Someone asked to reset your password for the { $org } customer portal.
    Choose a new password: { $link }

    The link works once and expires in { $minutes } minutes. If you did not ask for this, ignore this email: your password stays as it is.

## Payments

receipt-subject = Receipt { $receipt } from { $org }
receipt-body =
    Thank you for your payment of { $amount } for { $invoices }.
    Receipt: { $receipt }
payment-failed-subject = Your payment to { $org } did not go through
payment-failed-body =
    Your payment of { $amount } for { $invoices } did not go through.
    { $reason }
    Nothing was charged, and the invoices are unpaid again. You can pay them from the portal: { $url }

## Documents sent to the customer

document-email-subject = { $document } from { $org }
document-email-body =
    Hello { $name },

    { $summary }
    Open it: { $url }

    The document is attached too.
link-subject = { $document } from { $org }
link-body =
    Hello { $name },

    { $org } sent you { $document }. Open it to { $actions } (no sign-in needed):
    { $link }

    The link works until { $until }.
link-can-view = view
link-can-download = download
link-can-pay = pay
link-can-decide = accept or decline
forward-subject = { $sender } forwarded a document from { $org }
forward-body =
    { $summary }
    { $note }
    It was sent to { $customer } by { $org }. The customer portal is at { $url }.
forward-note =
    { $sender } wrote:
    { $note }

## Notifications to the customer

comment-subject = { $org } replied in the customer portal
comment-body =
    { $org } wrote:

    { $comment }

    See it in the portal: { $url }

## Lists

list-separator = {", "}

## Printable documents (the PDF and the print page)

print-retainer-invoice = Retainer invoice { $number }
print-receipt = Receipt { $number }
print-credit-note = Credit note { $number }
print-statement = Statement of account
print-bill-to = Bill to
print-col-description = Description
print-col-quantity = Quantity
print-col-rate = Rate
print-col-discount = Discount
print-col-tax = Tax
print-col-amount = Amount
print-col-applied-to = Applied to
print-col-date = Date
print-col-entry = Entry
print-col-number = Number
print-col-balance = Balance
print-subtotal = Subtotal
print-discount = Discount
print-tax = Tax
print-total = Total
print-paid = Paid
print-credited = Credited
print-balance-due = Balance due
print-applied = Applied to invoices
print-kept-as-credit = Kept as credit
print-received = Received
print-credit = Credit
print-used = Used
print-available = Available
print-opening-balance = Opening balance
print-closing-balance = Closing balance
print-issue-date = Issue date
print-due-date = Due date
print-valid-until = Valid until
print-order-date = Order date
print-shipment-date = Shipment date
print-paid-on = Paid on
print-paid-by = Paid by
print-reference = Reference
print-from = From
print-to = To
print-currency = Currency
print-running-total = Running total
print-applied-so-far = Applied so far
print-carried-forward = { $label } carried forward
print-brought-forward = { $label } brought forward
print-page = Page { $page } of { $pages }
print-signed = Accepted and signed
print-continued = { $title } (continued)
print-content-hash = Content hash: { $hash }
print-declined = Declined
print-card = { $brand } card ending { $last4 }
print-bank-account = bank account ending { $last4 }
print-credit-line = Credit to your account
print-entry-invoice = Invoice
print-entry-credit-note = Credit note
print-entry-payment = Payment
print-entry-refund = Refund
print-aging-current = Current
print-aging-1-30 = 1–30 days overdue
print-aging-31-60 = 31–60 days overdue
print-aging-61-90 = 61–90 days overdue
print-aging-over-90 = Over 90 days overdue
print-pending = Payment pending since { $date }
print-pending-action = { $amount } (waiting for the bank's confirmation; not in the balance yet)
print-pending-processing = { $amount } (processing; not in the balance yet)
stamp-paid = PAID
stamp-partially-paid = PARTIALLY PAID
stamp-overdue = OVERDUE
stamp-void = VOID
stamp-accepted = ACCEPTED
stamp-declined = DECLINED
stamp-invoiced = INVOICED
stamp-used = USED
stamp-draft = DRAFT
stamp-open = OPEN
stamp-partially-invoiced = PARTIALLY INVOICED
stamp-closed = CLOSED

## Refusals a portal user can meet (by the error's code)

refusal-invalid_email = This is not an email address; check it and try again.
refusal-invalid_amount = This amount cannot be used: give a positive amount with at most the currency's decimals.
refusal-currency_mismatch = These amounts are in different currencies; pay each currency on its own.
refusal-unknown_currency = This currency is not known; use its three-letter ISO code.
refusal-weak_password = Choose another password: this one is too easy to guess.
refusal-weak_password-short = The password must have at least 8 characters; a short phrase is easiest to remember.
refusal-weak_password-long = The password must have at most 256 characters.
refusal-weak_password-common = This password is among the most commonly used ones; choose another.
refusal-invalid_text = This text cannot be used: it is empty, too long, or has characters that are not allowed.
refusal-invalid_preference = Choose a language, time zone, date format and country from the lists.
refusal-invalid_preference-language = "{ $value }" is not a language this portal is written in; choose one from the list.
refusal-invalid_preference-time_zone = "{ $value }" is not a time zone of the IANA database (such as Europe/Lisbon); choose one from the list.
refusal-invalid_preference-country = "{ $value }" is not an ISO 3166-1 country code (such as PT); choose one from the list.
refusal-invalid_state = This cannot be done any more: it changed since the page was opened. Reload the page.
refusal-not_found = There is nothing here, or it is not yours to see.
refusal-not_shareable = This document cannot be sent on its own; share the invoice it belongs to.
refusal-not_commentable = This document has no comments; comment on its quote or invoice.
refusal-portal_disabled = This portal is turned off; contact the organization.
refusal-invalid_link = This link is invalid or has expired; ask for a new one.
refusal-invalid_credentials = The email or password is incorrect.
refusal-too_many_attempts = Too many failed sign-ins; try again in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
refusal-session_expired = Your session has ended; sign in again.
refusal-link_expired = This link has expired; ask the organization for a new one.
refusal-link_revoked = This link no longer works; ask the organization for a new one.
refusal-link_action_not_allowed = This link does not allow that; sign in to the portal or ask the organization.
refusal-CP1003 = This portal account belongs to a contact the organization deleted; ask them to check it.
refusal-wrong_password = The current password is incorrect.
refusal-password_confirmation_mismatch = The new password and its confirmation do not match.
refusal-forbidden = Your portal access does not allow this; ask the organization.
refusal-busy = Someone else is changing this right now; try again.
refusal-invalid_cursor = This page of the list is out of date; go back to its first page.
refusal-nothing_to_pay = There is nothing to pay on the chosen invoices.
refusal-partial_payment_not_allowed = This invoice must be paid in full; part payments are not allowed on it.
refusal-amount_exceeds_balance = { $amount } is more than the balance due of { $balance }.
refusal-payment_in_progress = A payment of this invoice is being processed; check its payments in a moment, then try again.
refusal-no_payment_gateway = Online payment is not set up for this invoice; contact the organization to pay it another way.
refusal-bank_payment_not_allowed = Paying by bank account is not enabled for your account; pay by card or contact the organization.
refusal-invalid_idempotency_key = This payment form is out of date; reload the page and pay again.
refusal-idempotency_key_reused = This payment form was already used for another payment; reload the page and pay again.
refusal-payment_pending = The payment is being processed; check your payments shortly before paying again.
refusal-authentication_required = Your bank asks you to confirm this payment; continue it on the payment page.
refusal-payment_processing = The payment is processing and settles in a few days; the amount is reserved meanwhile.
refusal-credit_not_available = That much credit is not available; refresh your credits.
refusal-reason_required = Give a reason to reject or dispute time.
refusal-time_not_submittable = This timesheet cannot be decided on; it has no time waiting for approval.
refusal-invalid_project = This time entry or timesheet cannot be used as given; check it and try again.
refusal-file_too_large = The file is too large: the limit is { $megabytes } MB.
refusal-file_type_not_allowed = Files of this type are not accepted; send a PDF, an image or a text document.
refusal-invalid_file = This file cannot be used: check that it is not empty and its name has no slashes.
refusal-invalid_expiry = The expiry must be a month from now on (month 1 to 12, four-digit year).
refusal-invalid_payment_details = The card or bank details cannot be used as typed; check them and try again.
refusal-invalid_period = Choose a period whose start is not after its end.
refusal-invalid_quote = This quote cannot be used as given; check it and try again.
refusal-quote_expired = This quote expired on { $date }; ask the organization for a new one.
refusal-quote_changed = The quote changed since you opened it; read it again before you accept.
refusal-typed_details_refused = Card details are typed into the payment provider's own form, never sent to this site.
refusal-card_declined = The card was declined; try another card or contact your bank.
refusal-card_expired = The card has expired; use another card.
refusal-CP3001 = Payments with a saved card are not enabled; pay with a card typed in now.
refusal-CP3002 = The organization's payment account is not set up correctly; contact the organization.
refusal-CP3003 = The payment was blocked by the payment provider's fraud checks; contact the organization.
refusal-CP3004 = The billing address does not match the card's; check the address.
refusal-CP3005 = The same payment was made a few minutes ago; check your payments before trying again.
refusal-CP4001 = The amount is below the payment provider's minimum.
refusal-CP4001-minimum = The payment provider's minimum amount is { $minimum }.
refusal-CP4002 = Saved payment methods are not supported by this payment provider.
refusal-CP4003 = The payment provider does not take this currency; contact the organization.
refusal-CP4003-currency = The payment provider does not take { $currency }; contact the organization.
refusal-gateway_unavailable = The payment provider cannot be reached just now; nothing was charged. Try again in a moment.
refusal-not_charged = Nothing was charged; try again.
refusal-authentication_failed = Your bank did not confirm the payment; nothing was charged. Try again or use another card.
refusal-authentication_abandoned = The payment was not confirmed with your bank in time; nothing was charged.
refusal-debit_failed = Your bank returned the debit; the invoice is unpaid again.
refusal-payment_failed = The payment did not go through; nothing was charged.

refusal-forbidden-role = Your portal role "{ $role }" does not allow you to { $what }; ask the organization.
refusal-forbidden-setting = The organization has turned off "{ $setting }" for its portal.
refusal-forbidden-inactive = Your portal access is not active; ask the organization to enable it.
permission-quotes-view = view quotes
permission-quotes-create = comment on quotes
permission-quotes-accept = accept quotes
permission-invoices-view = view invoices
permission-invoices-create = comment on invoices
permission-invoices-pay = pay invoices
permission-payments-view = view payments
permission-payments-create = save payment methods
permission-payments-edit = edit payment methods
permission-payments-delete = delete payment methods
permission-statements-view = view statements
permission-sales-orders-view = view sales orders
permission-projects-view = view projects
permission-projects-create = comment on projects
permission-timesheets-view = view timesheets
permission-timesheets-create = comment on timesheets
permission-timesheets-approve = approve timesheets
permission-documents-view = view documents
permission-documents-upload = upload documents
permission-documents-delete = delete documents
permission-profile-view = view your details
permission-profile-edit = edit your details
setting-portal-enabled = Enable the customer portal
setting-show-sales-orders = Allow customers to view sales orders
setting-show-projects = Allow customers to view projects and timesheets
setting-allow-uploads = Allow document uploads
setting-allow-edit-details = Allow customers to edit their details
setting-enable-reviews = Enable customer reviews
setting-allow-forwarding = Allow customers to forward documents
