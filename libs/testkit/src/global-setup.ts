import { provideBackends } from './backends';

export default async function globalSetup(): Promise<void> {
  const backends = await provideBackends();
  process.stdout.write(`\ntest backends (${backends.source}): ${backends.mongoUrl} ${backends.natsUrl}\n`);
}
