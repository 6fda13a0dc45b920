//! Following v3's list cursors to the end, and no further: a server that hands back a
//! cursor already followed, or says there is more without saying where, must not keep a
//! `terraform plan` listing forever.

use std::collections::HashSet;

use super::error::ApiError;
use super::types::SecretMetadata;
use super::wire::SecretPage;

/// The most pages one walk follows: 2,000,000 secrets at 200 a page.
pub const MAX_PAGES: usize = 10_000;

/// The pages of one list walk so far.
#[derive(Default)]
pub struct PageWalk {
    items: Vec<SecretMetadata>,
    /// Ids already taken: a secret that shifts between two pages counts once.
    ids: HashSet<String>,
    /// Cursors already followed.
    cursors: HashSet<String>,
    pages: usize,
}

impl PageWalk {
    /// Takes in one page: the cursor of the next page, `None` after the last page, or
    /// an error when following it would not end.
    pub fn take(&mut self, page: SecretPage) -> Result<Option<String>, ApiError> {
        self.pages += 1;
        let more = page.has_next();
        for item in page.items {
            if self.ids.insert(item.secret_id.clone()) {
                self.items.push(item.into());
            }
        }
        if !more {
            return Ok(None);
        }
        let cursor = match page.end_cursor.filter(|c| !c.is_empty()) {
            Some(cursor) => cursor,
            None => {
                return Err(endless(
                    "a page with an end_cursor",
                    "has_next_page is true, end_cursor is empty",
                ))
            }
        };
        if !self.cursors.insert(cursor.clone()) {
            return Err(endless(
                "a page with a new end_cursor",
                format!("page {} gave an end_cursor already followed", self.pages),
            ));
        }
        if self.pages >= MAX_PAGES {
            return Err(endless(
                "a list that ends",
                format!("page {MAX_PAGES} still has has_next_page true"),
            ));
        }
        Ok(Some(cursor))
    }

    /// How many pages were taken.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// How many secrets were taken so far.
    pub fn secrets_taken(&self) -> usize {
        self.items.len()
    }

    /// Every secret of the walk, in the order the pages gave them.
    pub fn finish(self) -> Vec<SecretMetadata> {
        self.items
    }
}

/// The error for a walk that would not end. The cursor is not quoted: it is the server's
/// text, and says nothing a person can act on.
fn endless(expected: &'static str, what: impl Into<String>) -> ApiError {
    ApiError::UnexpectedBody {
        status: 200,
        expected,
        excerpt: what.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[&str], cursor: Option<&str>, more: bool) -> SecretPage {
        let items: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({"secret_id": id, "key": id}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "items": items, "end_cursor": cursor, "has_next_page": more, "total": null
        }))
        .unwrap()
    }

    #[test]
    fn walks_to_the_last_page() {
        let mut walk = PageWalk::default();
        assert_eq!(
            walk.take(page(&["a", "b"], Some("c1"), true)).unwrap(),
            Some("c1".into())
        );
        assert_eq!(
            walk.take(page(&["b", "c"], Some("c2"), true)).unwrap(),
            Some("c2".into())
        );
        assert_eq!(walk.take(page(&["d"], Some("c3"), false)).unwrap(), None);
        assert_eq!(walk.pages(), 3);
        let ids: Vec<_> = walk.finish().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["a", "b", "c", "d"], "b shifted pages and counts once");
    }

    #[test]
    fn a_repeated_cursor_stops_the_walk() {
        let mut walk = PageWalk::default();
        walk.take(page(&["a"], Some("c1"), true)).unwrap();
        let err = walk.take(page(&["b"], Some("c1"), true)).unwrap_err();
        assert!(matches!(err, ApiError::UnexpectedBody { status: 200, .. }));
        assert!(err.to_string().contains("already followed"), "{err}");
    }

    #[test]
    fn more_without_a_cursor_stops_the_walk() {
        for cursor in [None, Some("")] {
            let mut walk = PageWalk::default();
            let err = walk.take(page(&["a"], cursor, true)).unwrap_err();
            assert!(err.to_string().contains("end_cursor is empty"), "{err}");
        }
    }

    #[test]
    fn the_walk_is_bounded() {
        let mut walk = PageWalk::default();
        for n in 1..MAX_PAGES {
            let cursor = format!("c{n}");
            assert_eq!(
                walk.take(page(&[], Some(&cursor), true)).unwrap(),
                Some(cursor)
            );
        }
        let err = walk.take(page(&[], Some("last"), true)).unwrap_err();
        assert!(err.to_string().contains("10000"), "{err}");
    }
}
