-- One pending request per gate across every node: the gate's business key is unique among pending requests.
alter table greenlight_approval_code add column gate varchar(700);
create unique index greenlight_approval_code_gate on greenlight_approval_code (gate);
