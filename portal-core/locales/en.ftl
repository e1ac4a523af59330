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
    Your payment of { $amount } for { $invoices } did not go through: { $reason }.
    Nothing was charged, and the invoices are unpaid again. You can pay them from the portal: { $url }

## Documents sent to the customer

document-email-subject = { $document } from { $org }
document-email-body =
    Hello { $name },

    { $summary }
    The document is attached; it is also in your customer portal at { $url }.
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
