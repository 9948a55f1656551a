//! One statement and its parameters, run on either engine: the same SQL text, with its
//! values bound in `$1`, `$2`, … order.

use super::Connections;
use sqlx::postgres::PgPool;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, FromRow, Postgres, Sqlite, Type};
use sqlx::{PgConnection, SqliteConnection};
use std::borrow::Cow;

/// Where a query runs: a pool or an open transaction.
pub enum Conn<'c> {
    /// SQLite's connections for statements outside a transaction.
    SqliteConnections(&'c Connections),
    /// A SQLite transaction's connection.
    Sqlite(&'c mut SqliteConnection),
    /// A PostgreSQL pool.
    PgPool(&'c PgPool),
    /// A PostgreSQL transaction's connection.
    Pg(&'c mut PgConnection),
}

/// A value bound to a parameter.
#[derive(Debug, Clone)]
pub enum Value {
    /// An integer.
    Int(Option<i64>),
    Text(Option<String>),
    /// A flag.
    Bool(Option<bool>),
    /// Bytes (hashes).
    Bytes(Vec<u8>),
}

macro_rules! value_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from($v: $t) -> Self {
                $e
            }
        })*
    };
}

value_from! {
    i64 => |v| Value::Int(Some(v)),
    Option<i64> => |v| Value::Int(v),
    &i64 => |v| Value::Int(Some(*v)),
    String => |v| Value::Text(Some(v)),
    &String => |v| Value::Text(Some(v.clone())),
    &str => |v| Value::Text(Some(v.to_string())),
    Option<String> => |v| Value::Text(v),
    Option<&str> => |v| Value::Text(v.map(str::to_string)),
    bool => |v| Value::Bool(Some(v)),
    &bool => |v| Value::Bool(Some(*v)),
    Option<bool> => |v| Value::Bool(v),
    Vec<u8> => |v| Value::Bytes(v),
    &[u8] => |v| Value::Bytes(v.to_vec()),
    &[u8; 32] => |v| Value::Bytes(v.to_vec()),
    &Vec<u8> => |v| Value::Bytes(v.clone()),
}

/// A row type both engines can decode.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A single column type both engines can decode.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// One statement and its parameters.
#[must_use]
pub struct Query {
    sql: Cow<'static, str>,
    args: Vec<Value>,
}

/// A statement, its parameters bound with [`Query::bind`] in `$1`, `$2`, … order.
pub fn query(sql: impl Into<Cow<'static, str>>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

/// Runs `$method` of the sqlx query `$make(sql)` with `args` bound, on `conn`.
macro_rules! run {
    ($conn:expr, $sql:expr, $args:expr, $make:expr, $method:ident) => {
        match $conn {
            Conn::SqliteConnections(connections) => {
                let mut taken = connections.take().await?;
                let result = bind_all!($make($sql), $args)
                    .$method(taken.connection())
                    .await;
                taken.check(result)
            }
            Conn::Sqlite(conn) => bind_all!($make($sql), $args).$method(&mut *conn).await,
            Conn::PgPool(pool) => bind_all!($make($sql), $args).$method(pool).await,
            Conn::Pg(conn) => bind_all!($make($sql), $args).$method(&mut *conn).await,
        }
    };
}

impl Query {
    /// Binds the next parameter.
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// The statement's text.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// Another statement with the same parameters (`EXPLAIN` of this one, say).
    pub fn replaced(mut self, sql: String) -> Self {
        self.sql = sql.into();
        self
    }

    /// Runs the statement; the number of rows it changed.
    pub async fn execute<'c>(self, conn: impl Into<Conn<'c>>) -> Result<u64, sqlx::Error> {
        let sql = self.sql.as_ref();
        let args = self.args;
        Ok(match conn.into() {
            Conn::SqliteConnections(connections) => {
                let mut taken = connections.take().await?;
                let result = bind_all!(sqlx::query(sql), args)
                    .execute(taken.connection())
                    .await;
                taken.check(result)?.rows_affected()
            }
            Conn::Sqlite(conn) => bind_all!(sqlx::query(sql), args)
                .execute(&mut *conn)
                .await?
                .rows_affected(),
            Conn::PgPool(pool) => bind_all!(sqlx::query(sql), args)
                .execute(pool)
                .await?
                .rows_affected(),
            Conn::Pg(conn) => bind_all!(sqlx::query(sql), args)
                .execute(&mut *conn)
                .await?
                .rows_affected(),
        })
    }

    /// Every row.
    pub async fn fetch_all<'c, T: Row>(
        self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(conn.into(), sql, self.args, sqlx::query_as, fetch_all)
    }

    /// The first row, if any.
    pub async fn fetch_optional<'c, T: Row>(
        self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(conn.into(), sql, self.args, sqlx::query_as, fetch_optional)
    }

    /// The one row (`RowNotFound` without one).
    pub async fn fetch_one<'c, T: Row>(self, conn: impl Into<Conn<'c>>) -> Result<T, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(conn.into(), sql, self.args, sqlx::query_as, fetch_one)
    }

    /// The first column of the one row.
    pub async fn scalar<'c, T: Scalar>(self, conn: impl Into<Conn<'c>>) -> Result<T, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(conn.into(), sql, self.args, sqlx::query_scalar, fetch_one)
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<'c, T: Scalar>(
        self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(
            conn.into(),
            sql,
            self.args,
            sqlx::query_scalar,
            fetch_optional
        )
    }

    /// The first column of every row.
    pub async fn scalars<'c, T: Scalar>(
        self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let sql = self.sql.as_ref();
        run!(conn.into(), sql, self.args, sqlx::query_scalar, fetch_all)
    }
}
