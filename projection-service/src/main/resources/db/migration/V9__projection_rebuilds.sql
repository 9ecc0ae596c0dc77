-- Rebuilds seen by every projection-service instance (issue 17): the latest rebuild of each
-- projection, whichever instance runs or ran it. Who may run one is not decided here but by a
-- session advisory lock per projection held for the whole rebuild (see RebuildRecords): a row
-- that says running while nobody holds that lock was left by an instance that died.
create table projection_rebuilds (
    projection        text primary key,
    instance          text not null,          -- who runs or ran it (the pod's name)
    status            text not null,          -- PREPARING, REPLAYING, SWAPPING, DONE, FAILED
    applied           bigint not null,
    position          bigint not null,
    lag               bigint not null,
    events_per_second double precision not null,
    started_at        timestamptz not null,
    finished_at       timestamptz,
    error             text,
    updated_at        timestamptz not null
);
