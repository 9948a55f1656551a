-- The token list filters and pages in SQL. `name_folded` is the name in lower case as the
-- application folds it (Unicode's rules, which SQLite's lower() lacks): the application
-- writes it with every name and fills it in for older rows at start-up. The index serves
-- the list's order, newest first, over an account's live tokens, and covers every filter:
-- counting and paging read the index alone, never the table.
ALTER TABLE tokens ADD COLUMN name_folded TEXT;
DROP INDEX tokens_account_created;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, deleted_at)
    WHERE deleted_at IS NULL;
