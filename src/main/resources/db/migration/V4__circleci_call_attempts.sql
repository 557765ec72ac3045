-- An approve or cancel call about to be made, committed in a transaction of its own before the call goes out. The job
-- making the call commits only after CircleCI answered; if Greenlight dies in between, the job runs again, finds the
-- gate already approved or cancelled, and this row tells it that the call was its own, not a decision made in CircleCI.
create table greenlight_circleci_attempt (
  process_instance_id varchar(64) not null,
  action              varchar(16) not null,
  attempted_at        timestamp   not null,
  token_owner         varchar(64) not null,
  primary key (process_instance_id, action)
);
