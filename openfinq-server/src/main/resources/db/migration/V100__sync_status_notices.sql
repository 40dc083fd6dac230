-- Change notices for the per-node cache of consents' sync status (the Openfinq-Sync-State and Openfinq-Data-As-Of
-- headers of every data read): pg_notify('openfinq_changes', 'sync:<consent_id>') on every change of a consent_sync
-- row and whenever a sync job is added, removed or changes status (a running job makes the state 'syncing'). Lease
-- renewals and row counts of a running job do not change the status and send nothing. See V85.

create function notify_sync_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('openfinq_changes', 'sync:' || coalesce(new.consent_id, old.consent_id)::text);
    return null;
end $$;

create trigger consent_sync_change after insert or update or delete on consent_sync
    for each row execute function notify_sync_change();
create trigger sync_job_change after insert or delete on sync_job
    for each row execute function notify_sync_change();
create trigger sync_job_status_change after update on sync_job
    for each row when (old.status is distinct from new.status or old.consent_id is distinct from new.consent_id)
    execute function notify_sync_change();
