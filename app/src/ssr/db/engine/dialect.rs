//! Which engine a handle talks to, and the few places their SQL differs.

/// Which engine a handle talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// `column = param`, ignoring ASCII case only (SQLite's `NOCASE`; on PostgreSQL
    /// `lower` under the "C" collation, whatever the database's locale), as the engine's
    /// case-insensitive unique indexes see it: "Feed" and "FEED" are one name on both,
    /// "Émile" and "émile" two.
    pub fn same_text(self, column: &str, param: &str) -> String {
        match self {
            Engine::Sqlite => format!("{column} = {param} COLLATE NOCASE"),
            Engine::Postgres => {
                format!("lower({column} COLLATE \"C\") = lower({param} COLLATE \"C\")")
            }
        }
    }

    /// The aggregate that joins a text column's values with spaces.
    pub fn join_with_spaces(self, column: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat({column}, ' ')"),
            Engine::Postgres => format!("string_agg({column}, ' ')"),
        }
    }

    /// The statement that starts a write transaction: SQLite takes its one write lock at
    /// once (so writers queue on the busy timeout); PostgreSQL's writers lock rows.
    pub(super) fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }
}
