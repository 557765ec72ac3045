-- Counts directory reloads, so every node of a cluster notices one made on another node and reloads too.
create table greenlight_directory_generation (
  id         integer not null primary key,
  generation bigint  not null
);
insert into greenlight_directory_generation (id, generation) values (1, 0);
