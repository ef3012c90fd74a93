/** What one connection's import remembers in NATS KV between polls (and across restarts). */
export interface ImportCheckpoint {
  /** Lower bound (`fromDate`, on lastModifiedDate) of the next run. */
  fromDate: string;
  /** A run in progress: resumed from its cursor after a crash, so no page is skipped and none re-read twice. */
  run?: {
    fromDate: string;
    startedAt: string;
    cursor?: string;
    /** Greatest lastModifiedDate seen in this run (for operations: how far OTTO's data reached). */
    maxSeen?: string;
    pages: number;
  };
  articlesImportedAt?: string;
}

/**
 * Where the next run starts: when this run started, minus the overlap (which also absorbs clock
 * skew between us and OTTO). Not "newest change seen": OTTO pages by lifecycle date while filtering
 * by modification date, so an order changed during the run may sort before the cursor and must be
 * caught by the next run; and a quiet channel would otherwise re-read its last changes forever.
 * Never moves backwards.
 */
export function nextFromDate(run: NonNullable<ImportCheckpoint['run']>, overlapMs: number): string {
  const candidate = Date.parse(run.startedAt) - overlapMs;
  return new Date(Math.max(candidate, Date.parse(run.fromDate))).toISOString();
}
