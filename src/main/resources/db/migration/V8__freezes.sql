-- Freezes declared through POST /api/freezes (recurring ones live in the configuration, greenlight.freezes.recurring):
-- deploys of the projects the glob covers are frozen from starts_at (included) to ends_at (excluded). Ending one early
-- (DELETE /api/freezes/{id}) sets ends_at to that moment and ended_by to who did; the row stays, for the audit, and goes
-- with the history once greenlight.history.retention has passed since it ended. Times with their offset (UTC).
create table greenlight_freeze (
  id         varchar(36)              not null primary key,
  projects   varchar(255)             not null,
  starts_at  timestamp with time zone not null,
  ends_at    timestamp with time zone not null,
  reason     varchar(500)             not null,
  created_by varchar(64)              not null,
  created_at timestamp with time zone not null,
  ended_by   varchar(64)
);

-- What is in force now and what comes: freezes that have not ended yet.
create index greenlight_freeze_ends_at on greenlight_freeze (ends_at);
