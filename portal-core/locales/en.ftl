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
