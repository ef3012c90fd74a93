/** Below FerretDB v1's 100 SQLite connections, each statement of one update command holds one. */
export const FERRETDB_STATEMENTS_PER_COMMAND = 50;
