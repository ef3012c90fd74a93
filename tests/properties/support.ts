import fc from 'fast-check';

/** Bounded runs, reproducible: FC_SEED replays a failure; the seed is printed either way. */
export function fcParams(name: string, numRuns = 150): fc.Parameters<unknown> {
  const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
  process.stdout.write(`fast-check ${name}: seed ${seed} (FC_SEED=${seed} to replay), ${numRuns} runs\n`);
  return { seed, numRuns, endOnFailure: true };
}

/** A JS runtime fault (reading a field of undefined, calling a non-function, Invalid time value): never a deliberate rejection. */
export function isRuntimeFault(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || !(err instanceof Error);
}

/** Sometimes the well-formed value, sometimes anything at all (wrong type, null, missing). */
export const maybe = <T>(good: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: good, weight },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.anything(), weight: 1 },
  );

/** Drops a few keys of an object (missing fields, as a sloppy API would send them). */
export function dropSome<T extends object>(value: T, drop: number[]): T {
  const keys = Object.keys(value);
  const out = { ...value } as Record<string, unknown>;
  for (const d of drop) if (keys.length) delete out[keys[d % keys.length]!];
  return out as T;
}
