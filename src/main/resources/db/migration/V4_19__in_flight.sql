-- The files received and not yet decided. Written with the receive and removed with the fate, in their own
-- transactions, and put back wherever a fate is taken away (relink, review, device replay), so that what is in
-- flight costs what is in flight to list and count, not a scan of the whole archive (an anti-join of haven_file and
-- file_outcome, ~0.6 s per 2 million files on PostgreSQL, on every metrics scrape).
create table file_in_flight (
    file_id     varchar(64) primary key,
    received_at timestamp   not null
);
create index file_in_flight_received on file_in_flight (received_at, file_id);
insert into file_in_flight (file_id, received_at)
    select f.file_id, f.received_at from haven_file f where not exists (select 1 from file_outcome o where o.file_id = f.file_id);
