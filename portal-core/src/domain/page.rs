//! Keyset pagination, for every list: a position (a [`Cursor`]), a page of rows
//! ([`Page`]) and what to ask for ([`PageRequest`]). A page costs the same at row
//! 10 and at row 1 000 000.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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

/// The most rows a page may have.
pub const MAX_PAGE_SIZE: u32 = 100;

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

/// A page request over a list with a fixed order (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Start after this row.
    pub after: Option<Cursor>,
    /// Rows per page (1 to [`MAX_PAGE_SIZE`]).
    pub limit: u32,
}

impl PageRequest {
    /// The first page of `limit` rows.
    #[must_use]
    pub fn first(limit: u32) -> Self {
        Self { after: None, limit }
    }

    /// The page after `cursor` (as returned in [`Page::next`]).
    ///
    /// # Errors
    /// [`CursorError`] for a cursor this library did not make.
    pub fn after(cursor: &str, limit: u32) -> Result<Self, CursorError> {
        Ok(Self {
            after: Some(Cursor::decode(cursor)?),
            limit,
        })
    }

    /// Whether a row with `(key, id)` comes after the cursor, newest first.
    #[must_use]
    pub fn includes(&self, key: i64, id: Uuid) -> bool {
        self.after.is_none_or(|c| (key, id) < (c.key, c.id))
    }

    /// The `(key, id)` to bind as the exclusive upper bound in SQL.
    #[must_use]
    pub fn bound(&self) -> (i64, Uuid) {
        self.after
            .map_or((i64::MAX, Uuid::max()), |c| (c.key, c.id))
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(20)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn a_page_request_continues_strictly_before_its_cursor() {
        let id = Uuid::now_v7();
        let req = PageRequest {
            after: Some(Cursor { key: 5, id }),
            limit: 2,
        };
        assert!(req.includes(4, Uuid::max()));
        assert!(!req.includes(5, id));
        assert!(!req.includes(6, Uuid::nil()));
        assert!(PageRequest::first(1).includes(i64::MAX, Uuid::max()));
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
    }
}
