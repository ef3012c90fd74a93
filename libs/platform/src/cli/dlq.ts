/**
 * `npm run dlq -- list | replay <seq|all> | drop <seq|all>` against NATS_URL (and NATS_PREFIX).
 * Replay after a fix brings parked messages back to their original subject.
 */
import { z } from 'zod';
import { BaseConfigSchema, loadConfig } from '../config/load-config';
import { createLogger } from '../logging/logger';
import { NatsClient } from '../nats/nats-client';
import { SubjectNamer } from '../nats/subject-namer';
import { DeadLetterQueue } from '../jetstream/dead-letter-queue';

const Config = BaseConfigSchema.pick({ NATS_URL: true, NATS_PREFIX: true, NATS_USER: true, NATS_PASSWORD: true });

async function main(argv: string[]): Promise<number> {
  const [command, target] = argv;
  const config = loadConfig(Config);
  const nats = new NatsClient(config.NATS_URL, new SubjectNamer(config.NATS_PREFIX), 'dlq-cli', createLogger('dlq-cli', 'warn'), {
    user: config.NATS_USER,
    password: config.NATS_PASSWORD,
  });
  await nats.connect();
  try {
    const dlq = new DeadLetterQueue(nats);
    const parked = await dlq.list();
    const targets = target === 'all' ? parked.map((p) => p.seq) : target ? [z.coerce.number().int().positive().parse(target)] : [];
    switch (command) {
      case 'list':
        for (const p of parked) process.stdout.write(`${p.seq}\t${p.parkedAt}\t${p.subject}\t${p.deliveries} deliveries\t${p.reason}\n`);
        process.stdout.write(`${parked.length} parked\n`);
        return 0;
      case 'replay':
        for (const seq of targets) await dlq.replay(seq);
        process.stdout.write(`${targets.length} replayed\n`);
        return 0;
      case 'drop':
        for (const seq of targets) await dlq.drop(seq);
        process.stdout.write(`${targets.length} dropped\n`);
        return 0;
      default:
        process.stderr.write('usage: dlq list | replay <seq|all> | drop <seq|all>\n');
        return 2;
    }
  } finally {
    await nats.drain();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`dlq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
