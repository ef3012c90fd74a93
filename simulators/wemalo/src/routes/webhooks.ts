import { Router } from 'express';
import type { WemaloWarehouse } from '../warehouse';

export function webhookRoutes(warehouse: WemaloWarehouse): Router {
  const router = Router();
  const { webhooks } = warehouse;
  router.post('/webhook/:event', (req, res) => {
    const hook = webhooks.register(req.params.event, req.body ?? {});
    res.json({ Success: true, event: hook.event, token: hook.token });
  });
  router.get('/webhook', (_req, res) => {
    res.json({ hooks: webhooks.list().map(({ payload, token, event }) => ({ payload, token, event })), Success: true });
  });
  router.delete('/webhook/:event', (req, res) => {
    webhooks.unregister(req.params.event);
    res.json({ Success: true });
  });
  return router;
}
