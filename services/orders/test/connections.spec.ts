import type { Subscription } from '@nats-io/nats-core';
import { type AccountCreated, type ConnectionView, type Problem, Rpc } from '@orderhub/contracts';
import { isolate, type ServiceProcess } from '@orderhub/testkit';
import { Hub, startOrders } from './orders-harness';

/** Issues 15 and 16: what a connection may point at, and the channel's check before it is saved. */
describe('orders: connection URLs and connection checks (real FerretDB/NATS)', () => {
  const iso = isolate('ordconn');
  let service: ServiceProcess;
  let hub: Hub;
  let account: AccountCreated;
  let checker: Subscription | undefined;
  const checked: Record<string, unknown>[] = [];

  beforeAll(async () => {
    // The testkit allows the simulators' hosts (127.0.0.1, localhost); nothing else internal.
    service = await startOrders(iso, { CONNECTION_CHECK_TIMEOUT_MS: '1500' });
    hub = await Hub.connect(iso);
    account = await hub.createAccount('Verbindung GmbH');
  });

  afterAll(async () => {
    checker?.unsubscribe();
    await hub?.close();
    await service?.stop();
  });

  /** Stands in for the Serverspot connector's check (`Rpc.serverspotCheckConnection`). */
  const answerChecks = async (answer: (request: Record<string, unknown>) => unknown) => {
    checker?.unsubscribe();
    checker = hub.nats.nc.subscribe(hub.nats.names.subject(Rpc.serverspotCheckConnection), {
      callback: (_err, msg) => {
        const request = msg.json<Record<string, unknown>>();
        checked.push(request);
        msg.respond(JSON.stringify(answer(request)));
      },
    });
    await hub.nats.nc.flush(); // the server knows the responder before the first request
  };
  /** The saved connection, or the problem it was refused with. */
  const create = async (body: Record<string, unknown>): Promise<ConnectionView | Problem> => {
    try {
      return await hub.ask<ConnectionView>(Rpc.connectionsCreate, account.accountId, body);
    } catch (err) {
      const problem = (err as { problem?: Problem }).problem;
      if (problem) return problem;
      throw err;
    }
  };
  const shop = (apiUrl: string, extra: Record<string, unknown> = {}) => ({
    type: 'serverspot',
    settings: { name: 'Shop', apiUrl },
    secrets: { shopKey: 'the-shop-key' },
    verify: false,
    ...extra,
  });
  const wemalo = (apiBaseUrl: string) => ({ type: 'wemalo', settings: { name: 'Lager', apiBaseUrl }, secrets: { apiToken: 't' } });

  it.each([
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['http://shop.example.com/api', /only https/],
    ['https://169.254.169.254/latest/meta-data', /internal address/],
    ['https://10.0.0.7/api', /internal address/],
    ['https://[::1]/api', /internal address/],
    ['https://orders/api', /internal address/],
    ['https://nats.orderhub.svc.cluster.local/', /internal address/],
  ])('refuses the connection URL %s with 400', async (url, reason) => {
    const problem = (await create(shop(url))) as Problem;
    expect(problem.status).toBe(400);
    expect(JSON.stringify(problem.errors)).toMatch(reason);
    const other = (await create(wemalo(url))) as Problem;
    expect(other.status).toBe(400);
  });

  it('accepts https to a public host, and the hosts the operator allows (the simulators on loopback)', async () => {
    expect(await create(shop('https://shop.example.com/api'))).toMatchObject({ type: 'serverspot' });
    expect(await create(shop('http://127.0.0.1:7102/shops/x/api'))).toMatchObject({ type: 'serverspot' });
  });

  it('a change to an internal URL is refused like a new one', async () => {
    const view = (await create(shop('https://shop.example.com/api'))) as ConnectionView;
    const problem = await hub.refusal(Rpc.connectionsUpdate, {
      accountId: account.accountId,
      actor: 'api-key:test',
      body: { connectionId: view.id, settings: { apiUrl: 'https://192.168.0.10/api' } },
    });
    expect(problem).toMatchObject({ status: 400, errors: [{ path: 'settings.apiUrl' }] });
  });

  it("creating a connection runs the channel's check: its refusal is a 422 with the channel's reason, and nothing is saved", async () => {
    await answerChecks(() => ({
      ok: false,
      problem: {
        type: 'https://orderhub.dev/problems/validation#serverspot-credentials',
        title: 'Serverspot connection check failed',
        status: 422,
        detail: 'The shop refused the shop key (401 Unautorisiert).',
        errors: [{ path: 'shopKey', message: 'shop key rejected' }],
      },
    }));
    const before = await hub.ask<ConnectionView[]>(Rpc.connectionsList, account.accountId, { type: 'serverspot' });
    const problem = (await create(shop('https://shop.example.com/api', { verify: true, secrets: { shopKey: 'wrong' } }))) as Problem;
    expect(problem).toMatchObject({ status: 422, detail: expect.stringContaining('refused the shop key'), errors: [{ path: 'shopKey' }] });
    expect(checked.at(-1)).toMatchObject({ apiUrl: 'https://shop.example.com/api', shopKey: 'wrong' });
    expect(await hub.ask<ConnectionView[]>(Rpc.connectionsList, account.accountId, { type: 'serverspot' })).toHaveLength(before.length);

    // the explicit option saves without the check (offline setup)
    const calls = checked.length;
    expect(await create(shop('https://shop.example.com/api', { verify: false, secrets: { shopKey: 'wrong' } }))).toMatchObject({
      type: 'serverspot',
    });
    expect(checked).toHaveLength(calls);
  });

  it('a passing check saves the connection; a change of secrets is checked again; a channel without a check passes', async () => {
    await answerChecks((request) =>
      request.shopKey === 'good'
        ? { ok: true, data: { shippingProfiles: [], warnings: [] } }
        : { ok: false, problem: { type: 'x', title: 'Serverspot connection check failed', status: 422, detail: 'key rejected' } },
    );
    const view = (await create(shop('https://shop.example.com/api', { verify: true, secrets: { shopKey: 'good' } }))) as ConnectionView;
    expect(view).toMatchObject({ type: 'serverspot', secretsSet: ['shopKey'] });
    const problem = await hub.refusal(Rpc.connectionsUpdate, {
      accountId: account.accountId,
      actor: 'api-key:test',
      body: { connectionId: view.id, secrets: { shopKey: 'bad' } },
    });
    expect(problem).toMatchObject({ status: 422, detail: 'key rejected' });
    const calls = checked.length;
    const renamed = await hub.ask<ConnectionView>(Rpc.connectionsUpdate, account.accountId, {
      connectionId: view.id,
      settings: { name: 'Renamed' },
    });
    expect(renamed.settings.name).toBe('Renamed');
    expect(checked).toHaveLength(calls); // a new name needs no check
    expect(await create({ ...wemalo('https://connect.wemalo.com/v1'), verify: true })).toMatchObject({ type: 'wemalo' });
  });

  it('when the connector does not answer the check, the answer is 503 naming verify=false', async () => {
    checker?.unsubscribe();
    checker = undefined;
    const problem = (await create(shop('https://shop.example.com/api', { verify: true }))) as Problem;
    expect(problem).toMatchObject({ status: 503, detail: expect.stringContaining('"verify": false') });
  });
});
