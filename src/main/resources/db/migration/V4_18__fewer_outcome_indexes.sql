-- Every fate writes its file_outcome row into each index of the table, in the commit that records it. Two indexes
-- were prefixes of two others (the queue's keyset indexes, V3): any query the shorter one served, the longer one
-- serves the same way, on H2 and PostgreSQL alike. Dropped: two index pages fewer rewritten per fate.
drop index if exists file_outcome_outcome_reason;  -- (outcome, reason): a prefix of file_outcome_reason_queue
drop index if exists file_outcome_decided;         -- (outcome, decided_at): a prefix of file_outcome_queue
