import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule, SERVICE } from './app.module';
import { WemaloConfigSchema } from './config';

runMain(SERVICE, async () => {
  const config = loadConfig(WemaloConfigSchema);
  await startService(SERVICE, config, AppModule.register(config));
});
