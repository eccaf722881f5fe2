-- The raw manufacturer and model spellings each device signature was seen with (the device report lists them), one
-- row per spelling: written by the first sighting of a new spelling (org.haven.classify.DeviceStore), so the report
-- reads a few rows per device instead of grouping the whole haven_file table on every page load. Cut to 200
-- characters (a key); '' for none.
create table device_spelling (
    signature_id     varchar(64)  not null,
    manufacturer_raw varchar(200) not null,
    model_raw        varchar(200) not null,
    primary key (signature_id, manufacturer_raw, model_raw)
);
insert into device_spelling (signature_id, manufacturer_raw, model_raw)
    select distinct signature_id, coalesce(substr(manufacturer_raw, 1, 200), ''), coalesce(substr(model_raw, 1, 200), '')
    from haven_file where signature_id is not null;
