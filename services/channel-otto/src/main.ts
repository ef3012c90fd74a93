import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule } from './app.module';
import { OttoConfigSchema } from './config';

runMain('channel-otto', async () => {
  const config = loadConfig(OttoConfigSchema);
  await startService('channel-otto', config, AppModule.register(config));
});
