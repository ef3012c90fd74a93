import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule } from './app.module';
import { ServerspotConfigSchema } from './config';

runMain('channel-serverspot', async () => {
  const config = loadConfig(ServerspotConfigSchema);
  await startService('channel-serverspot', config, AppModule.register(config));
});
