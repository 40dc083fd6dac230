-- Change notices for the per-node cache of transactions/get answers: pg_notify('openfinq_changes',
-- 'data:<consent_id>') in every transaction that changes a consent's cached transactions (see V85 for how notices
-- reach the nodes). Statement triggers with transition tables send one notice per consent a statement touched (a
-- page upsert of a thousand rows sends one, an upsert that changes nothing sends none); an account's deletion names
-- its consent before the cascade removes its transactions. Notices are not stored: nothing to expire.

create function notify_data_change_rows() returns trigger language plpgsql as $$
begin
    perform pg_notify('openfinq_changes', 'data:' || c.consent_id::text)
    from (select distinct a.consent_id from changed_rows r join account a on a.id = r.account_id) c;
    return null;
end $$;

create function notify_data_change_account() returns trigger language plpgsql as $$
begin
    perform pg_notify('openfinq_changes', 'data:' || old.consent_id::text);
    return null;
end $$;

create trigger transaction_insert_data_change after insert on transaction
    referencing new table as changed_rows
    for each statement execute function notify_data_change_rows();
create trigger transaction_update_data_change after update on transaction
    referencing new table as changed_rows
    for each statement execute function notify_data_change_rows();
create trigger transaction_delete_data_change after delete on transaction
    referencing old table as changed_rows
    for each statement execute function notify_data_change_rows();
create trigger account_data_change after delete or update of consent_id on account
    for each row execute function notify_data_change_account();
