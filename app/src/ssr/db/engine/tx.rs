//! A write transaction of either engine, and what its commit tells this process.

use super::dialect::Engine;
use crate::ssr::db::change_feed::{ChangeFeed, FeedEvent};
use sqlx::{Postgres, Sqlite, Transaction};
use std::sync::Arc;

impl Tx {
    /// Holds lock `key` until this transaction ends: jobs that every instance may run at
    /// once (the mail summaries) run one at a time. SQLite's write transactions already do.
    pub async fn serialize(&mut self, key: i64) -> Result<(), sqlx::Error> {
        match &mut self.inner {
            EngineTx::Sqlite(..) => Ok(()),
            EngineTx::Postgres(tx) => sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(key)
                .execute(&mut **tx)
                .await
                .map(drop),
        }
    }
}

/// A write transaction of either engine: committed by [`Tx::commit`], rolled back when
/// dropped.
#[derive(Debug)]
pub struct Tx {
    pub(super) inner: EngineTx,
    feed: Arc<ChangeFeed>,
    announces_change: bool,
    mail_queued: Arc<tokio::sync::Notify>,
    queues_mail: bool,
    webhooks_queued: Arc<tokio::sync::Notify>,
    queues_webhooks: bool,
    /// The audit actions it recorded, counted once it commits.
    audited: Vec<&'static str>,
}

#[derive(Debug)]
pub(super) enum EngineTx {
    /// SQLite, holding the writers' turn until it ends.
    Sqlite(
        Transaction<'static, Sqlite>,
        tokio::sync::OwnedMutexGuard<()>,
    ),
    /// PostgreSQL.
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// `inner`, which tells `feed` of a change and rings `bells` (mail, webhooks) for what
    /// it queued when it commits.
    pub(super) fn new(
        inner: EngineTx,
        feed: Arc<ChangeFeed>,
        bells: [Arc<tokio::sync::Notify>; 2],
    ) -> Self {
        let [mail_queued, webhooks_queued] = bells;
        Self {
            inner,
            feed,
            announces_change: false,
            mail_queued,
            queues_mail: false,
            webhooks_queued,
            queues_webhooks: false,
            audited: Vec::new(),
        }
    }

    /// Says this transaction recorded an audit event of `action` (an id of the closed set
    /// [`crate::domain::audit::AuditAction`]): `tokensmith_audit_events_total` counts it
    /// once the transaction commits.
    pub fn count_audit_on_commit(&mut self, action: &'static str) {
        self.audited.push(action);
    }

    /// Says this transaction queued mail: the outbox worker of this process is woken once
    /// it commits (the others find it at their next poll).
    pub fn wake_outbox_on_commit(&mut self) {
        self.queues_mail = true;
    }

    /// Says this transaction queued webhook messages: this process's webhook worker is
    /// woken once it commits (the others find them at their next poll).
    pub fn wake_webhooks_on_commit(&mut self) {
        self.queues_webhooks = true;
    }

    /// Says this transaction changes what others keep copies of (what a token grants: its
    /// state, secret, scopes, version, deletion, or the account's API access): its commit
    /// is announced on the [`ChangeFeed`] here and, on PostgreSQL, to every other instance.
    pub fn announce_change(&mut self) {
        self.announces_change = true;
    }

    /// Commits, then tells this process's feed if the transaction announced a change and
    /// wakes the outbox worker if it queued mail.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let Tx {
            inner,
            feed,
            announces_change,
            mail_queued,
            queues_mail,
            webhooks_queued,
            queues_webhooks,
            audited,
        } = self;
        match inner {
            // The turn is given up once the commit is done.
            EngineTx::Sqlite(tx, _turn) => tx.commit().await?,
            EngineTx::Postgres(mut tx) => {
                if announces_change {
                    // Delivered to the listeners when (and only if) this commits.
                    sqlx::query("SELECT pg_notify($1, '')")
                        .bind(crate::ssr::db::change_feed::CHANNEL)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?
            }
        }
        if announces_change {
            feed.tell(FeedEvent::Committed);
        }
        if queues_mail {
            mail_queued.notify_one();
        }
        if queues_webhooks {
            webhooks_queued.notify_one();
        }
        for action in audited {
            metrics::counter!("tokensmith_audit_events_total", "action" => action).increment(1);
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            EngineTx::Sqlite(..) => Engine::Sqlite,
            EngineTx::Postgres(_) => Engine::Postgres,
        }
    }
}
