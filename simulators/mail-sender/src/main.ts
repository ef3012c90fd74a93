import { buildJimdoOrderMail } from './jimdo-mail';
import { sendMail } from './smtp';
import { JIMDO_MAIL_VARIANTS } from './variants';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

/** Demo: sends N Jimdo order mails (cycling through all variants) to an SMTP inbound. */
async function main(): Promise<void> {
  const host = process.env.MAIL_SENDER_SMTP_HOST ?? '127.0.0.1';
  const port = intEnv('MAIL_SENDER_SMTP_PORT', 2525);
  const to = process.env.MAIL_SENDER_TO ?? '12345-jimdo-orderimport@inbound.orderhub.local';
  const rateMs = intEnv('MAIL_SENDER_RATE_MS', 1000);
  const count = intEnv('MAIL_SENDER_COUNT', 10);
  const seedBase = intEnv('MAIL_SENDER_SEED', Date.now() % 100_000);
  for (let i = 0; i < count; i += 1) {
    const variant = JIMDO_MAIL_VARIANTS[i % JIMDO_MAIL_VARIANTS.length]!;
    const mail = buildJimdoOrderMail({ ...variant, seed: seedBase + i, forwardTo: to });
    const info = await sendMail(mail.raw, { host, port, from: 'inhaber@mein-shop.example', to });
    process.stdout.write(`${i + 1}/${count} order ${mail.order.orderNumber} (${mail.variant}) -> ${to}: ${info.response}\n`);
    if (i + 1 < count && rateMs > 0) await new Promise((r) => setTimeout(r, rateMs));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
