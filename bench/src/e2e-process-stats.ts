/** Per-process RSS and CPU time from Linux /proc, sampled on a timer while a benchmark runs. */
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far; NaN once it is gone. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is index 0, utime 11, stime 12 (clock ticks, 100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export function rssBytesOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb * 1024;
  } catch {
    return NaN;
  }
}

interface Track {
  peakRss: number;
  lastRss: number;
}

/**
 * Samples every named process each `intervalMs`: peak RSS since the last `resetPeaks()`, and CPU
 * seconds at named marks, so a phase's CPU is `cpuBetween(name, 'start', 'end')`.
 * Processes are looked up by a getter: a restarted process keeps its name.
 */
export class ProcessSampler {
  private timer?: NodeJS.Timeout;
  private readonly tracks = new Map<string, Track>();
  private readonly marks = new Map<string, Map<string, number>>();

  constructor(
    private readonly pids: () => Map<string, number | undefined>,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  sample(): void {
    for (const [name, pid] of this.pids()) {
      const rss = rssBytesOf(pid);
      if (!Number.isFinite(rss)) continue;
      const t = this.tracks.get(name) ?? { peakRss: 0, lastRss: 0 };
      t.peakRss = Math.max(t.peakRss, rss);
      t.lastRss = rss;
      this.tracks.set(name, t);
    }
  }

  resetPeaks(): void {
    this.sample();
    for (const t of this.tracks.values()) t.peakRss = t.lastRss;
  }

  /** Current RSS (bytes) and peak since the last reset, per process. */
  rss(): Record<string, { current: number; peak: number }> {
    return Object.fromEntries([...this.tracks].map(([name, t]) => [name, { current: t.lastRss, peak: t.peakRss }]));
  }

  mark(label: string): void {
    const at = new Map<string, number>();
    for (const [name, pid] of this.pids()) at.set(name, cpuSecondsOf(pid));
    this.marks.set(label, at);
  }

  cpuBetween(name: string, from: string, to: string): number {
    return (this.marks.get(to)?.get(name) ?? NaN) - (this.marks.get(from)?.get(name) ?? NaN);
  }
}
