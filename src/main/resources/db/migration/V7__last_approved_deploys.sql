-- The most recently approved request of each gate (project + GitHub environment or CircleCI approval job): the base of
-- the change the next request of that gate deploys. One row per gate, kept as long as the gate is used: it outlives the
-- requests' history, which is why the history cleanup leaves it alone. The slug is kept in lower case, as GitHub and
-- CircleCI compare it; approvers are user ids separated by spaces.
create table greenlight_last_approved (
  project_slug varchar(500)  not null,
  approval_job varchar(500)  not null,
  commit_sha   varchar(64)   not null,
  request_id   varchar(64)   not null,
  approvers    varchar(4000) not null,
  approved_at  timestamp     not null,
  primary key (project_slug, approval_job)
);
