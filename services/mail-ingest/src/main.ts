import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule, SERVICE } from './app.module';
import { MailIngestConfigSchema } from './config';

runMain(SERVICE, async () => {
  const config = loadConfig(MailIngestConfigSchema);
  await startService(SERVICE, config, AppModule.register(config));
});
