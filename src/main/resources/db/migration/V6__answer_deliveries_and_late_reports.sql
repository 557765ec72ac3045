-- Answers taken, by the id the channel gave the message that carried them (Twilio's MessageSid): a channel may deliver a
-- message twice, and the answer is recorded in the same transaction as this row, so it is taken once.
create table greenlight_answer_delivery (
  delivery_id varchar(100) not null primary key,
  request_id  varchar(64)  not null,
  received_at timestamp    not null
);

-- What Twilio reported of a message or call after its request had ended (the final 'delivered', the 'completed' of the
-- call that decided): the request's variables are history by then, so the report is kept here beside them.
create table greenlight_late_report (
  request_id  varchar(64)   not null,
  variable    varchar(200)  not null,
  status      varchar(40)   not null,
  detail      varchar(200),
  reported_at timestamp     not null,
  primary key (request_id, variable)
);
