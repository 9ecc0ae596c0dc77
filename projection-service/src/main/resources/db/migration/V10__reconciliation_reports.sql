-- The latest reconciliation report, shared by every projection-service instance (issue 17): the
-- scheduled run happens on one instance per interval (an advisory lock and this row's checked_at
-- decide which), and every instance answers GET /reconciliation and its metrics from here.
create table reconciliation_reports (
    id         int primary key check (id = 1),  -- one row: the latest
    checked_at timestamptz not null,
    instance   text not null,
    report     jsonb not null
);
