import pino from 'pino';
import { type ChannelErrors, type Connection, WriteBackPending, WriteBackPipeline, type WriteBackTarget } from '@orderhub/connector-kit';

type Report = { connectionId: string; orderId: string; action: string; outcome: string; ruleId?: string; addTags?: string[]; key: string };

/** The pipeline against in-memory stand-ins: no servers, only its decisions. */
function pipelineWith(connections: Connection[]) {
  const reports: Report[] = [];
  const metrics: string[] = [];
  const health: string[] = [];
  const registry = { type: 'wemalo', byId: async (id: string) => connections.find((c) => c.id === id) };
  const inbox = {
    reportActivity: async (c: { id: string }, r: Omit<Report, 'connectionId' | 'key'>, key: string) => {
      reports.push({ connectionId: c.id, ...r, key });
    },
  };
  const counter = { inc: (labels: Record<string, string>) => metrics.push(`${labels.action}:${labels.outcome}`) };
  const book = { succeeded: async () => health.push('ok'), failed: async (_c: unknown, reason: string) => health.push(reason) };
  const pipeline = new WriteBackPipeline(
    registry as never,
    inbox as never,
    { writeBacks: counter } as never,
    book as never,
    pino({ level: 'silent' }),
  );
  return { pipeline, reports, metrics, health };
}

const connection = { id: 'wem-1', accountId: 'acc-1', type: 'wemalo', settings: { syncDirection: 'both' } } as unknown as Connection;
const target: WriteBackTarget = { accountId: 'acc-1', orderId: 'o-1', connectionId: 'wem-1', key: 'v3' };
const action = { name: 'wemalo: goods order', metric: 'goods-order' };
const errors: ChannelErrors = {
  classify: (err) => (err as { kind?: 'auth' | 'transient' | 'permanent' }).kind ?? 'transient',
  describe: (err) => (err as Error).message,
};
const failing = (kind: string) => Object.assign(new Error(`${kind} failure`), { kind });

describe('WriteBackPipeline.runOn (a connector writing through its own connection)', () => {
  it('refuses with CONN-4 when the connection is inactive or deleted, without running the action', async () => {
    const { pipeline, reports } = pipelineWith([]);
    const work = jest.fn();
    await pipeline.runOn(target, { deliveryCount: 1 }, action, errors, work);
    expect(work).not.toHaveBeenCalled();
    expect(reports).toEqual([expect.objectContaining({ outcome: 'refused', ruleId: 'CONN-4', action: 'wemalo: goods order' })]);
  });

  it('reports the action result with its own history action, tags and metric label', async () => {
    const { pipeline, reports, metrics, health } = pipelineWith([connection]);
    await pipeline.runOn(target, { deliveryCount: 1 }, action, errors, async () => ({
      outcome: 'refused',
      action: 'wemalo: send changes',
      ruleId: 'WEM-5',
      detail: 'busy',
      addTags: ['order_received_by_wemalo'],
      key: 'refused:h1',
    }));
    expect(reports).toEqual([
      expect.objectContaining({
        connectionId: 'wem-1',
        action: 'wemalo: send changes',
        outcome: 'refused',
        addTags: ['order_received_by_wemalo'],
      }),
    ]);
    expect(metrics).toEqual(['goods-order:refused']);
    expect(health).toEqual(['ok']);
  });

  it('refused credentials wait at once (reported, retried); a transient failure waits quietly first; permanent is failed', async () => {
    const { pipeline, reports } = pipelineWith([connection]);
    await expect(
      pipeline.runOn(target, { deliveryCount: 1 }, action, errors, () => Promise.reject(failing('auth'))),
    ).rejects.toBeInstanceOf(WriteBackPending);
    expect(reports.map((r) => r.outcome)).toEqual(['waiting']);
    await expect(
      pipeline.runOn(target, { deliveryCount: 1 }, action, errors, () => Promise.reject(failing('transient'))),
    ).rejects.toBeInstanceOf(WriteBackPending);
    expect(reports).toHaveLength(1);
    await pipeline.runOn(target, { deliveryCount: 1 }, action, errors, () => Promise.reject(failing('permanent')));
    expect(reports.map((r) => r.outcome)).toEqual(['waiting', 'failed']);
  });

  it('gives the same target and outcome the same report key, and outcomes told apart by their key distinct ones', async () => {
    const { pipeline, reports } = pipelineWith([connection]);
    const ok = (key: string) => async () => ({ outcome: 'ok' as const, detail: 'sent', key });
    await pipeline.runOn(target, { deliveryCount: 1 }, action, errors, ok('received:h1'));
    await pipeline.runOn(target, { deliveryCount: 2 }, action, errors, ok('received:h1'));
    await pipeline.runOn(target, { deliveryCount: 1 }, action, errors, ok('received:h2'));
    expect(reports[0]!.key).toBe(reports[1]!.key);
    expect(reports[2]!.key).not.toBe(reports[0]!.key);
  });
});
