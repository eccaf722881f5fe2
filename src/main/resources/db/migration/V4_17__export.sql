-- Export of released files to research PACS destinations (config/destinations.yaml): one row per (file, destination).
-- The primary key is what makes delivery happen once: a file found again, or a release message redelivered, finds
-- its row; a delivered row is never sent again. Rows for files that were not released are never created.
create table export_outcome (
    file_id         varchar(64)   not null,
    destination     varchar(100)  not null,
    location        varchar(2000) not null,    -- released path, relative to the release root (de-identified values only)
    status          varchar(20)   not null,    -- pending | delivered | failed (gave up after max-attempts)
    attempts        integer       not null,
    last_error      varchar(1000),             -- status code or exception class, never DICOM values
    next_attempt_at timestamp     not null,    -- back-off: a failed attempt moves this into the future
    claimed_by      varchar(200),              -- node delivering it now (several nodes share the table)
    claimed_until   timestamp,
    created_at      timestamp     not null,
    delivered_at    timestamp,
    primary key (file_id, destination)
);
create index export_outcome_due on export_outcome (destination, status, next_attempt_at);
create index file_outcome_decided on file_outcome (outcome, decided_at);
