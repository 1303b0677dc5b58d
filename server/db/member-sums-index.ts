// The SQL text of the interest sums a lead's stored state holds ([v, decaying, decayingAt,
// steady] as a JSON array), in one place for the SQLite index that stores it (migration
// 0015_lookup_series) and the account read that takes it from there (read/member-scores.ts).
// SQLite reads an indexed expression out of the index only when the query has the same
// expression (compared as parsed, so spacing does not matter, but `json_valid(state) = 1`
// would already miss it), so this text is frozen: a query that drifted from the index would
// silently read every state again (test/server/read/lead-lookup.test.ts checks the plan).
// json_valid guards a hand-edited state: json_extract would fail the write, and with it the
// ingest, on malformed JSON.
export const MEMBER_SUMS_SQL = `CASE WHEN json_valid(state) THEN json_extract(state, '$.v', '$.decaying', '$.decayingAt', '$.steady') END`;
