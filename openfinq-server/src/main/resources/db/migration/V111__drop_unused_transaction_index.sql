-- transaction_account_inserted (account_id, inserted_at) served the timestamp_* filters before V40 moved them to
-- changed_at (transaction_account_changed); no query reads it since, and every upsert of a sync page paid for it.
drop index if exists transaction_account_inserted;
