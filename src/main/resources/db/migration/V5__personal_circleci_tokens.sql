-- Approvers' own CircleCI tokens, sealed with AES-256-GCM under greenlight.secrets.key (never in plain text): the
-- approve call is made with the deciding approver's token, so CircleCI shows who approved.
create table greenlight_circleci_token (
  user_id      varchar(64)   not null primary key,
  sealed_token varchar(1024) not null,
  updated_at   timestamp     not null
);
