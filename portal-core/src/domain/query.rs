//! The document lists' queries (filters, sorts, keyset positions), and how dates
//! are stored and used as sort keys. Pages themselves are in `page`.

use serde::{Deserialize, Serialize};
use time::Date;

use super::invoice::{Invoice, InvoiceKind, InvoiceStatus};
use super::page::{Cursor, CursorError, Direction};
use super::quote::{Quote, QuoteStatus};
use super::sales_order::{SalesOrder, SalesOrderStatus};

/// Days since 1970-01-01: how calendar dates are stored and used as sort keys.
#[must_use]
pub fn days_since_epoch(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - i64::from(time::macros::date!(1970 - 01 - 01).to_julian_day())
}

/// The calendar day (in UTC, as days since 1970-01-01) of a moment: how payments,
/// refunds and credit applications are dated on statements.
#[must_use]
pub fn day_of(moment: time::OffsetDateTime) -> i64 {
    days_since_epoch(moment.to_offset(time::UtcOffset::UTC).date())
}

/// The date `days` after 1970-01-01.
#[must_use]
pub fn date_from_days(days: i64) -> Option<Date> {
    let julian = i64::from(time::macros::date!(1970 - 01 - 01).to_julian_day()) + days;
    Date::from_julian_day(i32::try_from(julian).ok()?).ok()
}

/// What invoices are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceSort {
    /// Issue date.
    IssueDate,
    /// Due date.
    DueDate,
    /// Total.
    Total,
    /// Balance.
    Balance,
}

/// Which invoices to list (I1). Drafts are never listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceFilter {
    /// Every sent invoice, void ones included.
    All,
    /// Sent or partly paid.
    Unpaid,
    /// Partly paid.
    PartiallyPaid,
    /// Unpaid and past due.
    Overdue,
    /// Paid.
    Paid,
    /// Void.
    Void,
}

impl InvoiceFilter {
    /// The statuses it admits.
    #[must_use]
    pub fn statuses(self) -> &'static [InvoiceStatus] {
        use InvoiceStatus as S;
        match self {
            InvoiceFilter::All => &[S::Sent, S::PartiallyPaid, S::Paid, S::Void],
            InvoiceFilter::Unpaid | InvoiceFilter::Overdue => &[S::Sent, S::PartiallyPaid],
            InvoiceFilter::PartiallyPaid => &[S::PartiallyPaid],
            InvoiceFilter::Paid => &[S::Paid],
            InvoiceFilter::Void => &[S::Void],
        }
    }
}

/// A portal invoice list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Invoices, retainer invoices, or both (`None`).
    pub kind: Option<InvoiceKind>,
    /// Which ones.
    pub filter: InvoiceFilter,
    /// Sorted by.
    pub sort: InvoiceSort,
    /// Direction.
    pub direction: Direction,
    /// Start after this row (from the previous page's `next`).
    pub after: Option<Cursor>,
    /// Rows per page (1 to [`super::MAX_PAGE_SIZE`]).
    pub limit: u32,
    /// Today, for the overdue filter.
    pub today: Date,
}

impl InvoiceQuery {
    /// Starts after the cursor a previous page handed out (`Page::next`, as it
    /// travels in a URL); `None` is the first page.
    ///
    /// # Errors
    /// [`CursorError`] for a cursor this library did not make.
    pub fn starting_after(mut self, cursor: Option<&str>) -> Result<Self, CursorError> {
        self.after = cursor.map(Cursor::decode).transpose()?;
        Ok(self)
    }

    /// All invoices, newest issue date first, 20 per page.
    #[must_use]
    pub fn new(today: Date) -> Self {
        Self {
            kind: None,
            filter: InvoiceFilter::All,
            sort: InvoiceSort::IssueDate,
            direction: Direction::Desc,
            after: None,
            limit: 20,
            today,
        }
    }

    /// The sort key of `invoice` under this query.
    #[must_use]
    pub fn key_of(&self, invoice: &Invoice) -> i64 {
        match self.sort {
            InvoiceSort::IssueDate => days_since_epoch(invoice.issue_date),
            InvoiceSort::DueDate => days_since_epoch(invoice.due_date),
            InvoiceSort::Total => invoice.total.to_minor_units().unwrap_or(i64::MAX),
            InvoiceSort::Balance => invoice.balance.to_minor_units().unwrap_or(i64::MAX),
        }
    }

    /// Whether `invoice` passes the filter (status, kind, overdue); drafts never do.
    #[must_use]
    pub fn admits(&self, invoice: &Invoice) -> bool {
        self.filter.statuses().contains(&invoice.status)
            && self.kind.is_none_or(|k| k == invoice.kind)
            && (self.filter != InvoiceFilter::Overdue || invoice.due_date < self.today)
    }
}

/// What quotes are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteSort {
    /// Issue date.
    IssueDate,
    /// Expiry date.
    ExpiryDate,
    /// Total.
    Total,
}

/// Which quotes to list (Q1). Drafts are never listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteFilter {
    /// Every sent quote.
    All,
    /// Awaiting a decision and not expired.
    Open,
    /// Accepted.
    Accepted,
    /// Declined.
    Declined,
    /// Sent but past its expiry date.
    Expired,
    /// Turned into an invoice.
    Invoiced,
}

impl QuoteFilter {
    /// The statuses it admits.
    #[must_use]
    pub fn statuses(self) -> &'static [QuoteStatus] {
        use QuoteStatus as S;
        match self {
            QuoteFilter::All => &[S::Sent, S::Accepted, S::Declined, S::Invoiced],
            QuoteFilter::Open | QuoteFilter::Expired => &[S::Sent],
            QuoteFilter::Accepted => &[S::Accepted],
            QuoteFilter::Declined => &[S::Declined],
            QuoteFilter::Invoiced => &[S::Invoiced],
        }
    }

    /// The expiry range it admits, as days since 1970: `from <= expiry < until`.
    #[must_use]
    pub fn expiry_range(self, today: Date) -> (i64, i64) {
        let today = days_since_epoch(today);
        match self {
            QuoteFilter::Open => (today, i64::MAX),
            QuoteFilter::Expired => (i64::MIN, today),
            _ => (i64::MIN, i64::MAX),
        }
    }
}

/// A portal quote list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteQuery {
    /// Which ones.
    pub filter: QuoteFilter,
    /// Sorted by.
    pub sort: QuoteSort,
    /// Direction.
    pub direction: Direction,
    /// Start after this row.
    pub after: Option<Cursor>,
    /// Rows per page (1 to [`super::MAX_PAGE_SIZE`]).
    pub limit: u32,
    /// Today, for open and expired.
    pub today: Date,
}

impl QuoteQuery {
    /// Starts after the cursor a previous page handed out (`Page::next`, as it
    /// travels in a URL); `None` is the first page.
    ///
    /// # Errors
    /// [`CursorError`] for a cursor this library did not make.
    pub fn starting_after(mut self, cursor: Option<&str>) -> Result<Self, CursorError> {
        self.after = cursor.map(Cursor::decode).transpose()?;
        Ok(self)
    }

    /// All quotes, newest issue date first, 20 per page.
    #[must_use]
    pub fn new(today: Date) -> Self {
        Self {
            filter: QuoteFilter::All,
            sort: QuoteSort::IssueDate,
            direction: Direction::Desc,
            after: None,
            limit: 20,
            today,
        }
    }

    /// The sort key of `quote`.
    #[must_use]
    pub fn key_of(&self, quote: &Quote) -> i64 {
        match self.sort {
            QuoteSort::IssueDate => days_since_epoch(quote.issue_date),
            QuoteSort::ExpiryDate => days_since_epoch(quote.expiry_date),
            QuoteSort::Total => quote.total.to_minor_units().unwrap_or(i64::MAX),
        }
    }

    /// Whether `quote` passes the filter; drafts never do.
    #[must_use]
    pub fn admits(&self, quote: &Quote) -> bool {
        let (from, until) = self.filter.expiry_range(self.today);
        let expiry = days_since_epoch(quote.expiry_date);
        self.filter.statuses().contains(&quote.status) && from <= expiry && expiry < until
    }
}

/// What sales orders are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesOrderSort {
    /// Order date.
    OrderDate,
    /// Total.
    Total,
}

/// A portal sales-order list request (S1). Drafts are never listed; `statuses`
/// empty means every other status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesOrderQuery {
    /// The statuses to list (empty: all but draft).
    pub statuses: Vec<SalesOrderStatus>,
    /// Sorted by.
    pub sort: SalesOrderSort,
    /// Direction.
    pub direction: Direction,
    /// Start after this row.
    pub after: Option<Cursor>,
    /// Rows per page (1 to [`super::MAX_PAGE_SIZE`]).
    pub limit: u32,
}

impl SalesOrderQuery {
    /// Starts after the cursor a previous page handed out (`Page::next`, as it
    /// travels in a URL); `None` is the first page.
    ///
    /// # Errors
    /// [`CursorError`] for a cursor this library did not make.
    pub fn starting_after(mut self, cursor: Option<&str>) -> Result<Self, CursorError> {
        self.after = cursor.map(Cursor::decode).transpose()?;
        Ok(self)
    }

    /// All sales orders, newest first, 20 per page.
    #[must_use]
    pub fn new() -> Self {
        Self {
            statuses: Vec::new(),
            sort: SalesOrderSort::OrderDate,
            direction: Direction::Desc,
            after: None,
            limit: 20,
        }
    }

    /// The statuses listed: never draft.
    #[must_use]
    pub fn listed(&self) -> Vec<SalesOrderStatus> {
        use SalesOrderStatus as S;
        let all = [
            S::Open,
            S::PartiallyInvoiced,
            S::Invoiced,
            S::Closed,
            S::Void,
        ];
        if self.statuses.is_empty() {
            all.to_vec()
        } else {
            all.into_iter()
                .filter(|s| self.statuses.contains(s))
                .collect()
        }
    }

    /// Whether `order` has one of the listed statuses; drafts never do.
    #[must_use]
    pub fn admits(&self, order: &SalesOrder) -> bool {
        self.listed().contains(&order.status)
    }

    /// The sort key of `order`.
    #[must_use]
    pub fn key_of(&self, order: &SalesOrder) -> i64 {
        match self.sort {
            SalesOrderSort::OrderDate => days_since_epoch(order.order_date),
            SalesOrderSort::Total => order.total.to_minor_units().unwrap_or(i64::MAX),
        }
    }
}

impl Default for SalesOrderQuery {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    #[test]
    fn a_query_starts_after_a_cursor_from_a_url() {
        let today = time::macros::date!(2026 - 11 - 30);
        let cursor = Cursor::new(42, Uuid::now_v7()).expect("cursor");
        let text = cursor.encode();
        let invoices = InvoiceQuery::new(today)
            .starting_after(Some(&text))
            .expect("invoices");
        let quotes = QuoteQuery::new(today)
            .starting_after(Some(&text))
            .expect("quotes");
        let orders = SalesOrderQuery::new()
            .starting_after(Some(&text))
            .expect("orders");
        assert_eq!(
            (invoices.after, quotes.after, orders.after),
            (Some(cursor), Some(cursor), Some(cursor))
        );
        assert_eq!(
            InvoiceQuery::new(today)
                .starting_after(None)
                .expect("first")
                .after,
            None
        );
        assert_eq!(
            InvoiceQuery::new(today).starting_after(Some("not a cursor")),
            Err(CursorError)
        );
    }

    proptest! {
        #[test]
        fn dates_round_trip(days in -100_000_i64..100_000) {
            let d = date_from_days(days).expect("in range");
            prop_assert_eq!(days_since_epoch(d), days);
        }
    }
}
