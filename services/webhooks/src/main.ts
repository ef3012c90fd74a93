import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule, SERVICE } from './app.module';
import { WebhooksConfigSchema } from './config';

runMain(SERVICE, async () => {
  const config = loadConfig(WebhooksConfigSchema);
  await startService(SERVICE, config, AppModule.register(config));
});
