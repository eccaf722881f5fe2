-- How far each destination's discovery of released files has looked (org.haven.export.ExportStore): a node that
-- starts resumes from here instead of reading every release the archive ever made. Keyed by the destination's
-- selection as configured (its projects), so widening a destination's selection scans again from the start.
create table export_scan (
    destination   varchar(100)  not null,
    selection     varchar(1000) not null,
    scanned_until timestamp     not null,   -- every release decided before this has its export_outcome row
    primary key (destination, selection)
);
