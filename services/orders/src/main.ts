import 'reflect-metadata';
import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule } from './app.module';
import { OrdersConfigSchema } from './config';

runMain('orders', async () => {
  const config = loadConfig(OrdersConfigSchema);
  await startService('orders', config, AppModule.register(config));
});
