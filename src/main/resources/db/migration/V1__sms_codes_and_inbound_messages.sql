-- Greenlight's own tables, beside Camunda's (which the engine creates and upgrades itself).

-- The short code approvers put in their SMS reply: one row per pending request, removed when it ends.
-- The primary key makes a code unique among pending requests, across every node, and finds it without a scan.
create table greenlight_approval_code (
  code                varchar(8)   not null primary key,
  process_instance_id varchar(64)  not null,
  reserved_at         timestamp    not null
);
create unique index greenlight_approval_code_instance on greenlight_approval_code (process_instance_id);

-- Inbound SMS already answered, by Twilio's MessageSid: Twilio retries webhooks, and a retry must not decide twice.
create table greenlight_inbound_sms (
  message_sid varchar(64)   not null primary key,
  reply       varchar(1600) not null,
  received_at timestamp     not null
);
