import { loadConfig, runMain, startService } from '@orderhub/platform';
import { AppModule } from './app.module';
import { BillbeeModule } from './billbee/billbee.module';
import { GatewayConfigSchema } from './config';
import { configureHttp } from './http/http-app';
import { WebhooksModule } from './webhooks/webhooks.module';

runMain('gateway', async () => {
  const config = loadConfig(GatewayConfigSchema);
  await startService('gateway', config, AppModule.register(config), {
    messageHandlers: false,
    configureHttp: (app) => configureHttp(app, config, [AppModule, BillbeeModule, WebhooksModule]),
  });
});
