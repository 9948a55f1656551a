//! HTML written straight into a string, for the one list long enough for it to matter: the
//! API page's token cards, 50 to a page, whose views cost more to build and render than
//! everything else on the page (Leptos' erased components box every child and attribute).
//! Markup can only be literal (`&'static str`) or escaped: nothing a user typed reaches
//! the page unescaped.

/// Markup being written.
#[derive(Debug, Default)]
pub struct Markup(String);

impl Markup {
    /// Empty, with room for `bytes`.
    pub fn with_capacity(bytes: usize) -> Self {
        Self(String::with_capacity(bytes))
    }

    /// Literal markup, written as it is.
    pub fn raw(&mut self, html: &'static str) -> &mut Self {
        self.0.push_str(html);
        self
    }

    /// Text content, escaped (`&`, `<`, `>`).
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape(&mut self.0, text, false);
        self
    }

    /// ` name="value"`, the value escaped (`&`, `<`, `>`, `"`).
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.0.push(' ');
        self.0.push_str(name);
        self.0.push_str("=\"");
        escape(&mut self.0, value, true);
        self.0.push('"');
        self
    }

    /// The markup written.
    pub fn into_string(self) -> String {
        self.0
    }
}

fn escape(out: &mut String, text: &str, quotes: bool) {
    // By bytes: the four are ASCII, and a UTF-8 sequence never contains an ASCII byte.
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        out.push_str(entity);
        start = at + 1;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut m = Markup::default();
        m.raw("<p").attr("title", "a\"b'c<d>&e").raw(">");
        m.text("<script>alert('x') & \"y\"</script>").raw("</p>");
        assert_eq!(
            m.into_string(),
            "<p title=\"a&quot;b'c&lt;d&gt;&amp;e\">\
             &lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;</p>"
        );
    }

    #[test]
    fn plain_and_non_ascii_text_is_kept() {
        let mut m = Markup::with_capacity(8);
        m.text("Zoë — 日本 ").attr("data-x", "");
        assert_eq!(m.into_string(), "Zoë — 日本  data-x=\"\"");
    }

    #[test]
    fn markup_beside_non_ascii_text_is_escaped() {
        let mut m = Markup::default();
        m.text("é<ü>&日").attr("title", "ö\"本\"<");
        assert_eq!(
            m.into_string(),
            "é&lt;ü&gt;&amp;日 title=\"ö&quot;本&quot;&lt;\""
        );
    }
}
