-- The smallest consent.expiring notice (days before consent_exp: 14, then 3) already told for the consent.
alter table consent add column expiry_notified_days integer;
create index consent_active_exp on consent (consent_exp) where status = 'ACTIVE';
