-- Change notices for the per-node caches of tenants (with their subscriptions and signer keys) and consents: each
-- change sends pg_notify('openfinq_changes', '<topic>:<id>') in the writing transaction, which PostgreSQL delivers
-- to every listening node at commit (and never for a rolled-back change). Row triggers catch every writer: the
-- services, the retention jobs, cascades of a deleted tenant, and SQL run by hand. Inserts of tenants and consents
-- need none (absent rows are not cached). Notices are not stored: nothing to expire.

create function notify_tenant_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('openfinq_changes', 'tenant:' || coalesce(new.client_id, old.client_id)::text);
    return null;
end $$;

create function notify_signer_key_change() returns trigger language plpgsql as $$
declare
    tenant uuid;
begin
    select client_id into tenant from signer where id = coalesce(new.signer_id, old.signer_id);
    -- gone with its signer (a cascade): the signer's own notice names the tenant
    if tenant is not null then
        perform pg_notify('openfinq_changes', 'tenant:' || tenant::text);
    end if;
    return null;
end $$;

create function notify_consent_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('openfinq_changes', 'consent:' || coalesce(new.id, old.id)::text);
    return null;
end $$;

create trigger tenant_change after update or delete on tenant
    for each row execute function notify_tenant_change();
create trigger tenant_skill_change after insert or update or delete on tenant_skill
    for each row execute function notify_tenant_change();
create trigger signer_change after insert or update or delete on signer
    for each row execute function notify_tenant_change();
create trigger signer_key_change after insert or update or delete on signer_key
    for each row execute function notify_signer_key_change();
create trigger consent_change after update or delete on consent
    for each row execute function notify_consent_change();
