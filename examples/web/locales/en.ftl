# The web host's pages, in English: the reference every other language follows
# (the same messages, the same variables). A test checks the other files.

portal = Customer portal
sign-in = Sign in
sign-out = Sign out
field-email = Email
field-password = Password
forgot-password-link = Forgot your password?

## Navigation

nav-label = Portal
menu = Menu
nav-home = Home
nav-quotes = Quotes
nav-invoices = Invoices
nav-payments = Payments
nav-statement = Statement
nav-orders = Orders
nav-projects = Projects
nav-timesheets = Timesheets
nav-files = Files
nav-profile = Profile
nav-contact = Contact

## Dashboard

signed-in-as = Signed in as { $name } · { $org }
figure-outstanding = Outstanding
figure-overdue = Overdue
figure-credit = Available credit
figure-balance = Owed after your credit
figure-quotes = Quotes awaiting you
figure-pending = Payments pending
last-payment = Last payment: { $amount } on { $date }.
see-invoices = See invoices
credits-and-refunds = Credits and refunds
payment-methods = Payment methods
your-account = Your account
amounts-in = Amounts in { $currency }
contact-persons = Contact persons
primary = primary
write-to-us = Write to us

## Tables

col-pay = Pay
col-number = Number
col-due = Due
col-status = Status
col-total = Total
col-balance = Balance
col-invoice = Invoice
col-amount = Amount
col-since = Since
col-receipt = Receipt
col-date = Date
col-method = Method
col-description = Description
col-quantity = Quantity
col-rate = Rate

## Invoices

filter-and-sort = Filter and sort
filter-show = Show
filter-kind = Kind
sort-by = Sort by
order = Order
filter-all = All
filter-unpaid = Unpaid
filter-partly-paid = Partly paid
filter-overdue = Overdue
filter-paid = Paid
filter-void = Void
sort-issue-date = Issue date
sort-due-date = Due date
sort-total = Total
sort-balance = Balance
order-desc = Newest or largest first
order-asc = Oldest or smallest first
kind-all = Invoices and retainers
kind-invoice = Invoices
kind-retainer = Retainer invoices
no-invoices = No invoices here.
retainer = retainer
pay-number = Pay { $number }
pay-selected = Pay selected
pay-all = Pay all outstanding
next-page = Next page
invoice-title = Invoice { $number }
issued-on = Issued { $date }
due-on = due { $date }
invoice-status-draft = draft
invoice-status-sent = sent
invoice-status-partially_paid = partly paid
invoice-status-paid = paid
invoice-status-void = void
subtotal = Subtotal
discount = Discount
tax = Tax
paid = Paid
credited = Credited
payment-pending = Payment pending
reserved-until-settles = { $amount } (reserved until it settles)
download-pdf = Download PDF
print-version = Print version
use-credit = Use your available credit on this invoice

## Paying

pay-amount = Pay { $amount }
nothing-outstanding = Nothing is outstanding.
test-mode = Test mode: pay with a test card such as 4242 4242 4242 4242. Nothing is charged.
amount-to-pay = Amount to pay now (leave empty to pay { $amount })
pay-with = Pay with
pay-with-card = A card
pay-with-bank = A bank account
pay-with-saved = My { $method }
card = Card
card-in-provider-form = Typed into the payment provider's own form: this site never sees the card number.
sepa-debit = Bank account (SEPA direct debit)
account-holder = Account holder
iban-in-provider-form = Sent to the payment provider from this page; this site never sees the account number. A debit settles in a few days.
needs-javascript = Paying by card or bank debit needs JavaScript: the payment form is the payment provider's own.
method-card = { $brand } card ending { $last4 }
method-bank = bank account ending { $last4 }

## Payments

pending = Pending
pending-explained = Reserved on your invoices, not paid yet.
stage-requires-action = Waiting for your bank's confirmation
stage-processing = Processing (a bank debit settles in a few days)
no-payments = No payments yet.
older-payments = Older payments
receipt-title = Receipt { $number }
paid-on = Paid { $date }
kept-as-credit = Kept as credit
applied-to = Applied to
see-payments = See your payments
confirm-with-bank = Confirm with your bank
confirm-with-bank-explained = Your bank asks you to confirm the payment of { $amount }. Nothing is charged until you do; the amount is reserved meanwhile.
confirm-needs-javascript = Confirming with your bank needs JavaScript.
payment-processing = Payment processing
payment-processing-explained = Your payment of { $amount } was accepted and is processing: a bank debit settles in a few days. The amount is reserved on your invoices until then, and we email you when it settles (or if your bank returns it).
thank-you = Thank you
we-received = We received { $amount }. Your receipt is { $receipt }; it is also on its way by email.
link-paid = Thank you: we received { $amount }. Your receipt is { $receipt }.
see-receipt = See the receipt
back-home = Back home
card-holder = Name on card
card-number = Card number
card-month = Month
card-year = Year
bank-account = Bank account
routing-number = Routing number
account-number = Account number

## Forwarding and comments

forward-title = Forward this document
forward-to = Email address
forward-note = Note (optional)
forward = Forward
comments = Comments
no-comments = No comments yet.
comment-add = Add a comment
comment = Comment
comment-you = You
comment-former-contact = A former contact

## Statement

statement-title = Statement of account
statement-range = { $from } to { $to }
period = Period
period-this-month = This month
period-last-month = Last month
period-this-quarter = This quarter
period-this-year = This year
period-last-year = Last year
period-custom = Custom period
period-from = From
period-to = To
col-entry = Entry
opening-balance = Opening balance
closing-balance = Closing balance
entry-invoice = Invoice
entry-credit-note = Credit note
entry-payment = Payment
entry-refund = Refund
statement-pending-explained = Reserved on your invoices, not in the balance until they settle.
since = Since { $date }
aging-title = Aging of what is still owed
aging-current = Current
aging-1-30 = 1–30 days
aging-31-60 = 31–60 days
aging-61-90 = 61–90 days
aging-over-90 = Over 90 days

## Quotes

no-quotes = No quotes yet.
col-expires = Expires
quote = Quote
quote-title = Quote { $number }
valid-until = valid until { $date }
quote-status-draft = draft
quote-status-sent = sent
quote-status-accepted = accepted
quote-status-declined = declined
quote-status-invoiced = invoiced
accepted-by = Accepted and signed by <strong>{ $name }</strong> on { $date }.
signature-of = Signature of { $name }
declined-because = Declined:
accept = Accept
your-name = Your name
type-to-sign = Type your name to sign
draw-to-sign = Or draw your signature below.
clear-drawing = Clear the drawing
accept-and-sign = Accept and sign
decline = Decline
decline-reason = Reason (optional)

## Credits and payment methods

credits = Credits
no-credit = No credit available.
col-from = From
col-available = Available
credit-how = Open an unpaid invoice to use your credit on it.
refunds = Refunds
no-refunds = No refunds.
col-paid-back-by = Paid back by
col-refunded = Refunded
source-overpayment = Overpayment
source-retainer = Retainer
use-credit-on = Use credit on { $number }
use-credit-on-invoice = Use credit on invoice
credit-to-use = Credit to use (leave empty to settle as much as possible)
preview = Preview
what-would-happen = What would happen
col-credit = Credit
col-used = Used
balance-now = Balance now
balance-after = Balance after
use-this-credit = Use this credit
no-saved-methods = No saved payment methods.
remove = Remove
save-method = Save a payment method
save-card = Save a card
save = Save
save-card-in-provider-form = Typed into the payment provider's own form: this site never sees the card number. Your bank may ask you to confirm.
save-card-needs-javascript = Saving a card needs JavaScript: the card form is the payment provider's own.
back-to-methods = Back to the payment methods

## Sales orders, projects and timesheets

sales-orders = Sales orders
no-sales-orders = No sales orders.
col-ordered = Ordered
sales-order = Sales order
sales-order-title = Sales order { $number }
ordered-on = Ordered { $date }
ships-on = ships { $date }
not-invoiced = Not invoiced yet.
order-status-draft = draft
order-status-open = open
order-status-partially_invoiced = partly invoiced
order-status-invoiced = invoiced
order-status-closed = closed
order-status-void = void
no-projects = No projects.
col-project = Project
project-status-active = active
project-status-completed = completed
timesheets-awaiting = Timesheets awaiting your approval
tasks = Tasks
col-task = Task
col-billable = Billable
col-logged = Logged
col-unbilled = Not billed yet
yes = yes
no = no
time = Time
no-time = No time logged.
col-note = Note
more-time = More time entries
no-timesheets = No timesheets yet.
col-timesheet = Timesheet
timesheet-title = Timesheet { $title }
col-sent = Sent
col-minutes = Minutes
sent-on = Sent { $date }
minutes = { $minutes } minutes
reason = Reason:
col-dispute = Dispute (reason)
dispute-reason-for = Dispute reason for { $date }
reject-reason = Reason, to reject it all
approve-all = Approve all
approve-undisputed = Approve all but the disputed entries
reject = Reject
approval-status-pending = pending
approval-status-approved = approved
approval-status-partially_approved = partly approved
approval-status-rejected = rejected
entry-status-unsubmitted = not submitted
entry-status-pending = pending
entry-status-approved = approved
entry-status-rejected = rejected

## Files, details and contact

no-files = No files yet.
col-name = Name
col-size = Size
col-actions = Actions
shared-with-you = Shared with you
delete = Delete
upload-file = Upload a file
upload-kinds = PDF, PNG, JPEG or text, up to 10 MiB
upload = Upload
sent = Sent
back = Back
forwarded-to = The document is on its way to { $to }.
message-sent-to = Your message is on its way to { $org }.
review-thanks = Thank you for your review.
contact-title = Contact { $org }
contact-heading = Contact
field-phone = Phone
field-address = Address
field-subject = Subject
field-message = Message
send = Send
write-review = Write a review
review-question = How was working with { $org }?
send-review = Send the review
your-details = Your details
field-customer-name = Customer name
field-company = Company
field-first-name = First name
field-last-name = Last name
email-changed-by-org = the organization changes it
billing-address = Billing address
shipping-address = Shipping address
field-street = Street
field-street2 = Street, second line
field-postcode = Postcode
field-city = City
field-country = Country
save-details = Save details
field-customer = Customer
details-kept-by = { $org } keeps your details; write to them to change something.
change-password = Change password
current-password = Current password
new-password = New password
new-password-again = New password again
password-changed = Your password is changed; your other devices are signed out.

## Invitation and password reset

welcome = Welcome
welcome-title = Welcome to your customer portal
welcome-choose-password = Choose a password to finish setting up your access.
password-again = Password again
your-preferences = Your preferences
field-language = Language
field-time-zone = Time zone
field-dates = Dates
field-clock24 = 24-hour clock
set-password-sign-in = Set password and sign in
reset-title = Reset your password
reset-sent = If that email belongs to a portal user, a reset link is on its way. It works for a short time and only once.
back-to-sign-in = Back to sign in
send-reset-link = Send me a reset link
choose-new-password = Choose a new password
set-password = Set password

## Document links

link-pay-now = Pay now
link-pay-balance = Pay the balance
card-cvv = CVV
link-decide = Accept or decline
link-only-this = This page shows one document sent to you by <bdi>{ $org }</bdi>. To see everything else, sign in to the <a href="{ $url }">customer portal</a>.

## Refusal pages

error-title-check = Please check
error-title-sign-in-again = Please sign in again
error-title-not-allowed = Not allowed
error-title-link-gone = This link no longer works
error-title-cannot-now = This cannot be done now
error-title-payment = The payment was not made
error-title-wait = Please wait
error-title-unavailable = Please try again in a moment
error-unavailable = The portal is busy or cannot reach its data just now. Nothing was changed; try again in a minute.
error-title-internal = Something went wrong
error-internal = This is not something you did. Please try again in a moment; if it keeps happening, tell the organization and quote the reference below.
error-title-not-found = Not found
error-not-found = There is no page at this address, or it is not yours to see. Check the address, or go back and find it from there.
error-title-too-large = Too large to send
error-too-large = What you sent is larger than the portal accepts: a file may be at most 10 MiB. Choose a smaller file (or shorten the text) and send the form again.
error-title-bad-form = This form could not be read
error-bad-form = Part of the form was missing or not in the form the portal expects (perhaps the page is out of date). Go back, reload the page and fill the form in again.
error-title-method = Not something this page does
error-method = This address cannot be used that way: open it from a link or a button of the portal.
error-title-bad-request = This request could not be handled
error-bad-request = Go back, reload the page and try again.
error-title-csrf = This form has expired
error-csrf = The page this form came from is too old, or you signed in or out since. Go back, reload the page and send the form again.
error-back-console = Back to the org console
error-back-start = Back to the start page
error-back-portal = Back to the portal
error-reference = Reference for support: error { $status }, <code>{ $code }</code>

## The dashboard

due-now = To pay now
overdue-amount = { $amount } overdue
see-all-due = See everything unpaid
nothing-due = Nothing to pay: you are up to date.
your-figures = Your figures
invoice-status-overdue = overdue
amount-due = Amount due
the-invoice = The invoice
link-quote-decided = Quote { $number } is { $status }.
support-reference = Reference for support: { $code }
payments-and-credits = Payments and credits
col-source = From
applied-credit-note = Credit note
applied-overpayment = Credit from an overpayment
applied-retainer = Retainer
