import { releaseBackends } from './backends';

export default async function globalTeardown(): Promise<void> {
  await releaseBackends();
}
