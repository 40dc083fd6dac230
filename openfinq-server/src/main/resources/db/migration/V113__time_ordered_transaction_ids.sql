-- Time-ordered ids for new transactions (UUID version 7, RFC 9562): 48 bits of Unix time in milliseconds, then
-- the version, then 74 random bits from gen_random_uuid(). A page's rows are inserted at the end of the primary
-- key's index instead of at 1,000 random places in it, which once the table holds millions of rows meant a page
-- write read and dirtied index pages all over the index. One SELECT expression, so PostgreSQL inlines it.
-- (PostgreSQL 18 has uuidv7(); openfinq supports 15 and later.)
create function uuid_v7() returns uuid
    language sql volatile
as $$
select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                      placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                                      from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
$$;
