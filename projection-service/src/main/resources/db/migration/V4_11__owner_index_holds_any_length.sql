-- An owner is free text of any length (issue 11, 2b), and a btree index entry cannot exceed about a
-- third of a page (2704 bytes): a long owner made AccountOpened unstorable and parked the account.
-- A hash index stores only the hash, so any owner fits; "accounts of this owner" is an equality
-- lookup and the owner's few accounts are sorted after it. (Version 4.11: issue 11's, so that it
-- does not collide with another branch's V4.)
drop index accounts_by_owner;
create index accounts_by_owner on accounts using hash (owner);
