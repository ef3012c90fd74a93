/** Dependencies a service needs before it takes traffic; each module that opens one registers a check. */
export type ReadinessCheck = () => Promise<void>;

export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly stuck = new Map<string, string>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }

  /**
   * A client of this process is stuck in a way only a restart cures (the dependency itself answers
   * others): liveness then fails, so the orchestrator restarts the process.
   */
  markStuck(name: string, reason: string): void {
    this.stuck.set(name, reason);
  }

  /** The client works again (e.g. its pool has worked off what piled up during a database pause). */
  clearStuck(name: string): boolean {
    return this.stuck.delete(name);
  }

  stuckClients(): Record<string, string> {
    return Object.fromEntries(this.stuck);
  }
}

/** Rejects when `promise` takes longer than `ms`: a hanging dependency must not hang the probe. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
