/** What one connection's import remembers in NATS KV between polls (and across restarts). */
export interface ImportCheckpoint {
  /** Lower bound (`fromDate`, on lastModifiedDate) of the next run. */
  fromDate: string;
  /** A run in progress: resumed from its cursor after a crash, so no page is skipped and none re-read twice. */
  run?: {
    fromDate: string;
    startedAt: string;
    cursor?: string;
    /** Greatest lastModifiedDate seen in this run. */
    maxSeen?: string;
    pages: number;
  };
  articlesImportedAt?: string;
}

/**
 * Where the next run starts: the smaller of "when this run started" and "newest change seen", minus
 * the overlap. The run start matters because OTTO pages by lifecycle date while filtering by
 * modification date: an order changed during the run may sort before the cursor, and must be caught
 * by the next run. Never moves backwards.
 */
export function nextFromDate(run: NonNullable<ImportCheckpoint['run']>, overlapMs: number): string {
  const started = Date.parse(run.startedAt);
  const seen = run.maxSeen ? Date.parse(run.maxSeen) : started;
  const candidate = Math.min(started, seen) - overlapMs;
  return new Date(Math.max(candidate, Date.parse(run.fromDate))).toISOString();
}
