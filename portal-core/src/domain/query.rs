//! List queries with keyset pagination: a page costs the same at row 10 and at row
//! 1 000 000.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::invoice::{Invoice, InvoiceKind, InvoiceStatus};
use super::quote::{Quote, QuoteStatus};
use super::sales_order::{SalesOrder, SalesOrderStatus};

/// A position in a sorted list: the sort key of the last row seen and its id.
/// Opaque to clients (an encoded string); tampering yields an error, not a leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key (days since 1970-01-01 for dates, minor units for amounts).
    pub key: i64,
    /// The row's id.
    pub id: Uuid,
}

/// A cursor that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the page cursor is not valid; start again from the first page")]
pub struct CursorError;

/// The smallest sort key a cursor may carry: 0001-01-01T00:00:00Z in microseconds
/// since 1970. Every key a list sorts by (a date in days, an amount in minor units,
/// a moment in microseconds) lies between [`CURSOR_KEY_MIN`] and [`CURSOR_KEY_MAX`].
pub const CURSOR_KEY_MIN: i64 = -62_135_596_800_000_000;
/// The largest sort key a cursor may carry: 9999-12-31T23:59:59.999999Z in
/// microseconds since 1970.
pub const CURSOR_KEY_MAX: i64 = 253_402_300_799_999_999;

impl Cursor {
    /// A cursor at `key` and `id`.
    ///
    /// # Errors
    /// [`CursorError`] if `key` is outside [`CURSOR_KEY_MIN`]`..=`[`CURSOR_KEY_MAX`].
    pub fn new(key: i64, id: Uuid) -> Result<Self, CursorError> {
        let cursor = Self { key, id };
        cursor.check()?;
        Ok(cursor)
    }

    /// Checks that the key is in the range every list's keys lie in. A cursor is
    /// client input: the services check it before any store sees it.
    ///
    /// # Errors
    /// [`CursorError`] if it is out of range.
    pub fn check(&self) -> Result<(), CursorError> {
        if (CURSOR_KEY_MIN..=CURSOR_KEY_MAX).contains(&self.key) {
            Ok(())
        } else {
            Err(CursorError)
        }
    }

    /// Encodes the cursor for a client.
    #[must_use]
    pub fn encode(&self) -> String {
        let mut bytes = [0_u8; 24];
        bytes[..8].copy_from_slice(&self.key.to_be_bytes());
        bytes[8..].copy_from_slice(self.id.as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes a cursor a client sent back.
    ///
    /// # Errors
    /// [`CursorError`] if it is not one this library made.
    pub fn decode(text: &str) -> Result<Self, CursorError> {
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| CursorError)?;
        let bytes: [u8; 24] = bytes.try_into().map_err(|_| CursorError)?;
        let mut key = [0_u8; 8];
        key.copy_from_slice(&bytes[..8]);
        let mut id = [0_u8; 16];
        id.copy_from_slice(&bytes[8..]);
        Self::new(i64::from_be_bytes(key), Uuid::from_bytes(id))
    }
}

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

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl Direction {
    /// The `(key, id)` a keyset page in this direction starts after: the cursor's,
    /// or, on the first page, one below every row (ascending) or above every row
    /// (descending).
    #[must_use]
    pub fn start(self, after: Option<Cursor>) -> (i64, Uuid) {
        match (after, self) {
            (Some(c), _) => (c.key, c.id),
            (None, Direction::Asc) => (i64::MIN, Uuid::nil()),
            (None, Direction::Desc) => (i64::MAX, Uuid::max()),
        }
    }
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

/// The most rows a page may have.
pub const MAX_PAGE_SIZE: u32 = 100;

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
    /// Rows per page (1 to [`MAX_PAGE_SIZE`]).
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

    /// Whether a row with `(key, id)` comes after the cursor.
    #[must_use]
    pub fn after_cursor(&self, key: i64, id: Uuid) -> bool {
        match (self.after, self.direction) {
            (None, _) => true,
            (Some(c), Direction::Asc) => (key, id) > (c.key, c.id),
            (Some(c), Direction::Desc) => (key, id) < (c.key, c.id),
        }
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
    /// Rows per page (1 to [`MAX_PAGE_SIZE`]).
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

    /// Whether a row with `(key, id)` comes after the cursor.
    #[must_use]
    pub fn after_cursor(&self, key: i64, id: Uuid) -> bool {
        match (self.after, self.direction) {
            (None, _) => true,
            (Some(c), Direction::Asc) => (key, id) > (c.key, c.id),
            (Some(c), Direction::Desc) => (key, id) < (c.key, c.id),
        }
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
    /// Rows per page (1 to [`MAX_PAGE_SIZE`]).
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

    /// The sort key of `order`.
    #[must_use]
    pub fn key_of(&self, order: &SalesOrder) -> i64 {
        match self.sort {
            SalesOrderSort::OrderDate => days_since_epoch(order.order_date),
            SalesOrderSort::Total => order.total.to_minor_units().unwrap_or(i64::MAX),
        }
    }

    /// Whether a row with `(key, id)` comes after the cursor.
    #[must_use]
    pub fn after_cursor(&self, key: i64, id: Uuid) -> bool {
        match (self.after, self.direction) {
            (None, _) => true,
            (Some(c), Direction::Asc) => (key, id) > (c.key, c.id),
            (Some(c), Direction::Desc) => (key, id) < (c.key, c.id),
        }
    }
}

impl Default for SalesOrderQuery {
    fn default() -> Self {
        Self::new()
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// The cursor of the next page, if there may be one.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with one more than `limit` (the extra row only
    /// tells that another page exists): keeps `limit` rows and, if there were more,
    /// points `next` at the last row kept.
    #[must_use]
    pub fn from_overfetch(mut items: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = items.len() > limit;
        items.truncate(limit);
        let next = if more {
            items.last().map(|row| cursor_of(row).encode())
        } else {
            None
        };
        Self { items, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn a_page_keeps_the_limit_and_points_after_the_last_row() {
        let rows: Vec<i64> = (0..5).collect();
        let cursor = |k: &i64| Cursor {
            key: *k,
            id: Uuid::nil(),
        };
        let page = Page::from_overfetch(rows.clone(), 4, cursor);
        assert_eq!(page.items, vec![0, 1, 2, 3]);
        assert_eq!(page.next, Some(cursor(&3).encode()));
        let last = Page::from_overfetch(rows, 5, cursor);
        assert_eq!(last.next, None);
    }

    proptest! {
        #[test]
        fn cursors_round_trip_or_are_refused(key in any::<i64>(), id in any::<u128>()) {
            let c = Cursor { key, id: Uuid::from_u128(id) };
            let in_range = (CURSOR_KEY_MIN..=CURSOR_KEY_MAX).contains(&key);
            let decoded = Cursor::decode(&c.encode());
            if in_range {
                prop_assert_eq!(decoded, Ok(c));
            } else {
                prop_assert_eq!(decoded, Err(CursorError));
            }
        }

        #[test]
        fn dates_round_trip(days in -100_000_i64..100_000) {
            let d = date_from_days(days).expect("in range");
            prop_assert_eq!(days_since_epoch(d), days);
        }
    }

    #[test]
    fn junk_cursors_are_refused() {
        assert_eq!(Cursor::decode("nope"), Err(CursorError));
        assert_eq!(Cursor::decode(""), Err(CursorError));
        for key in [i64::MAX, i64::MIN, CURSOR_KEY_MAX + 1, CURSOR_KEY_MIN - 1] {
            let tampered = Cursor {
                key,
                id: Uuid::nil(),
            }
            .encode();
            assert_eq!(Cursor::decode(&tampered), Err(CursorError), "{key}");
        }
        for key in [CURSOR_KEY_MIN, 0, CURSOR_KEY_MAX] {
            assert!(Cursor::new(key, Uuid::max()).is_ok());
        }
    }
}
