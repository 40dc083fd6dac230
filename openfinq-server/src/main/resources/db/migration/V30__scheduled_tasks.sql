-- The job scheduler's executions (db-scheduler's PostgreSQL schema): one row per recurring job kind, and one per
-- pending one-off job until it has run. The scheduler deletes one-off rows when they complete.
create table scheduled_tasks (
    task_name            text        not null,
    task_instance        text        not null,
    task_data            bytea,
    execution_time       timestamptz not null,
    picked               boolean     not null,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures integer,
    last_heartbeat       timestamptz,
    version              bigint      not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time on scheduled_tasks (priority desc, execution_time asc);

-- Due refreshes are claimed in batches in next_refresh_at order; finished jobs are purged by age.
create index sync_job_finished on sync_job (finished_at) where status in ('done', 'failed');
create index unattended_call_at on unattended_call (at);
create index session_ended on session (updated_at) where status in ('SESSION_COMPLETED', 'SESSION_FAILED', 'SESSION_EXPIRED');
create index session_nonce_expiry on session_nonce (expires_at);
create index sca_redirect_created on sca_redirect (created_at);
create index temp_token_expiry on temp_token (expires_at);
create index temp_token_consent on temp_token (consent_id);
create index session_document_session on session_document (session_id);
create index session_document_step on session_document (step_id);
