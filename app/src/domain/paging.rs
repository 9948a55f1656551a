//! Long lists shown a page at a time, the page number in the URL (`?page=3`).

use serde::{Deserialize, Serialize};

/// Items on one page of a list.
pub const PAGE_SIZE: u32 = 50;

/// Reads `?page=`: absent or empty is the first page; anything but a whole number from 1 up
/// is refused with the text to report (`page=abc`).
pub fn parse_page(value: Option<&str>) -> Result<u32, String> {
    let text = value.unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(1);
    }
    match text.parse::<u32>() {
        Ok(page) if page >= 1 => Ok(page),
        _ => Err(format!(
            "page={}",
            text.chars().take(20).collect::<String>()
        )),
    }
}

/// Which page is shown out of how many, once the number of items is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The page shown, from 1.
    pub number: u32,
    /// How many pages there are (1 for an empty list).
    pub count: u32,
    /// How many items in all.
    pub items: u64,
}

impl Page {
    /// The page shown when `requested` is asked for among `items`: past the end is the last.
    pub fn clamp(requested: u32, items: u64) -> Self {
        let count = items.div_ceil(u64::from(PAGE_SIZE)).max(1);
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        Self {
            number: requested.clamp(1, count),
            count,
            items,
        }
    }

    /// How many items come before this page.
    pub fn offset(self) -> u64 {
        u64::from(self.number - 1) * u64::from(PAGE_SIZE)
    }

    /// The 1-based positions of the first and last item shown (`(0, 0)` when empty).
    pub fn shown(self) -> (u64, u64) {
        if self.items == 0 {
            return (0, 0);
        }
        let first = self.offset() + 1;
        (
            first,
            (self.offset() + u64::from(PAGE_SIZE)).min(self.items),
        )
    }
}

/// `12345` as `12,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Encodes a query value as a form would (`a b&c` → `a+b%26c`).
pub fn query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_page_from_the_query() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some("")), Ok(1));
        assert_eq!(parse_page(Some(" 3 ")), Ok(3));
        assert_eq!(parse_page(Some("0")), Err("page=0".to_string()));
        assert_eq!(parse_page(Some("-2")), Err("page=-2".to_string()));
        assert_eq!(parse_page(Some("two")), Err("page=two".to_string()));
        assert_eq!(
            parse_page(Some("99999999999")),
            Err("page=99999999999".to_string())
        );
    }

    #[test]
    fn a_page_past_the_end_is_the_last() {
        let page = Page::clamp(9, 120);
        assert_eq!((page.number, page.count), (3, 3));
        assert_eq!(page.offset(), 100);
        assert_eq!(page.shown(), (101, 120));
        let empty = Page::clamp(4, 0);
        assert_eq!((empty.number, empty.count, empty.shown()), (1, 1, (0, 0)));
        let exact = Page::clamp(2, 100);
        assert_eq!((exact.count, exact.shown()), (2, (51, 100)));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(10_000), "10,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(query_value("Feed 2"), "Feed+2");
        assert_eq!(query_value("a&b=c%"), "a%26b%3Dc%25");
        assert_eq!(query_value("Zürich"), "Z%C3%BCrich");
    }
}
