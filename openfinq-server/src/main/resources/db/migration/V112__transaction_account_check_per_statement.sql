-- A transaction's account is checked once per statement instead of once per row.
--
-- The foreign key transaction.account_id -> account.id ran one lookup-and-lock query per inserted row: a quarter of
-- the database time of a sync's page of a thousand rows, all for the same account. The same guarantees, per
-- statement:
--   * rows inserted or updated must name accounts that exist; those accounts are locked (FOR KEY SHARE, as the
--     foreign key did) until the commit, so a concurrent deletion waits for the write and then removes its rows,
--     and a deletion committed first makes the write fail (foreign_key_violation) instead of leaving orphans;
--   * deleting accounts deletes their transactions (the former ON DELETE CASCADE), also when the deletion is itself
--     a cascade from the consent;
--   * an account's id never changes (the foreign key refused that while transactions referred to it);
--   * TRUNCATE of account (also as the cascade of TRUNCATE consent CASCADE) truncates transaction too.
-- Like the foreign key, an update checks only rows whose account changed: a sync page's ON CONFLICT updates, which
-- never move a row, take no lock on the account (a lock there could deadlock with the account's deletion, which
-- waits for the rows the page has locked).
-- The checks read with a fresh snapshot, which holds in READ COMMITTED, the isolation every openfinq transaction
-- uses.

alter table transaction drop constraint transaction_account_id_fkey;

-- Locks the accounts (FOR KEY SHARE, as a foreign key does) and refuses the statement if one of them is missing.
create function lock_transaction_accounts(ids uuid[]) returns void language plpgsql as $$
begin
    if cardinality(ids) > 0
       and (select count(*) from (select a.id from account a where a.id = any (ids) for key share of a) l) < cardinality(ids) then
        raise exception 'transaction names an account that does not exist' using errcode = 'foreign_key_violation';
    end if;
end $$;

create function transaction_accounts_exist() returns trigger language plpgsql as $$
begin
    perform lock_transaction_accounts(array(select distinct account_id from written_rows));
    return null;
end $$;

create trigger transaction_insert_account after insert on transaction
    referencing new table as written_rows
    for each statement execute function transaction_accounts_exist();

create function transaction_moved_accounts_exist() returns trigger language plpgsql as $$
begin
    perform lock_transaction_accounts(array(
        select distinct n.account_id from new_rows n
        where not exists (select 1 from old_rows o where o.id = n.id and o.account_id = n.account_id)));
    return null;
end $$;

create trigger transaction_update_account after update on transaction
    referencing old table as old_rows new table as new_rows
    for each statement execute function transaction_moved_accounts_exist();

create function account_delete_transactions() returns trigger language plpgsql as $$
begin
    delete from transaction t using deleted_accounts d where t.account_id = d.id;
    return null;
end $$;

create trigger account_delete_transactions after delete on account
    referencing old table as deleted_accounts
    for each statement execute function account_delete_transactions();

create function account_id_unchanged() returns trigger language plpgsql as $$
begin
    raise exception 'an account''s id never changes' using errcode = 'foreign_key_violation';
end $$;

create trigger account_id_unchanged before update of id on account
    for each row when (old.id is distinct from new.id) execute function account_id_unchanged();

create function account_truncate_transactions() returns trigger language plpgsql as $$
begin
    truncate transaction;
    return null;
end $$;

create trigger account_truncate_transactions after truncate on account
    for each statement execute function account_truncate_transactions();
