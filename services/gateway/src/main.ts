import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule } from './app.module';
import { GatewayConfigSchema } from './config';

runMain('gateway', async () => {
  const config = loadConfig(GatewayConfigSchema);
  await startService('gateway', config, AppModule.register(config));
});
