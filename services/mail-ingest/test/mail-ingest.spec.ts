import type { NatsConnection } from '@nats-io/nats-core';
import { Notices, Rpc } from '@orderhub/contracts';
import { freePort, isolate, ServiceProcess, waitFor } from '@orderhub/testkit';
import nodemailer from 'nodemailer';
import { buildJimdoAddressConfirmationMail, buildJimdoOrderMail, startSmtpSink } from '../../../simulators/mail-sender/src';
import { importCommands, serveConnections, smtpDialogue } from './support';

const DOMAIN = 'inbound.test';
const CONN = 'c1a2b3';
const ACCOUNT = 'acc-1';
const MERCHANT = 'inhaber@mein-shop.example';
const inbound = (id: string) => `${id}-jimdo-orderimport@${DOMAIN}`;

describe('mail-ingest service (real SMTP, NATS, FerretDB)', () => {
  const iso = isolate('mailingest');
  let service: ServiceProcess;
  let peer: NatsConnection;
  let catcher: Awaited<ReturnType<typeof startSmtpSink>>;
  let smtpPort: number;

  const send = async (raw: Buffer, to = [inbound(CONN)], from = 'inhaber@mein-shop.example') => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    try {
      return await transport.sendMail({ envelope: { from, to }, raw });
    } finally {
      transport.close();
    }
  };
  const commandsFor = async (orderNumber: string) =>
    (await importCommands(peer, iso.natsPrefix)).filter((c) => c.data.order.externalId === orderNumber);

  /** What the fake orders service answers; a test removes an entry to delete that connection. */
  const connections = [
    { id: CONN, accountId: ACCOUNT, forwardTo: MERCHANT },
    { id: 'inactive9', accountId: ACCOUNT, forwardTo: MERCHANT, active: false },
    ...['cap1', 'cap2', 'cap3', 'cap4', 'gone1'].map((id) => ({ id, accountId: ACCOUNT, forwardTo: MERCHANT })),
  ];
  const rpc = (subject: string, body: unknown) =>
    peer
      .request(`${iso.natsPrefix}.${subject}`, JSON.stringify({ accountId: ACCOUNT, actor: 'test', body }), { timeout: 5000 })
      .then((m) => m.json<any>());
  const parkedWith = (orderNumber: string) =>
    waitFor(
      async () => {
        const reply = await rpc('rpc.mail.parked.list', {});
        return reply.ok && reply.data.items.find((i: { orderNumber?: string }) => i.orderNumber === orderNumber);
      },
      { what: `parked mail ${orderNumber}` },
    );

  beforeAll(async () => {
    peer = await serveConnections(iso.natsUrl, iso.natsPrefix, connections);
    catcher = await startSmtpSink();
    smtpPort = await freePort();
    service = await ServiceProcess.start('services/mail-ingest', {
      MONGO_URL: iso.mongoUrl,
      NATS_URL: iso.natsUrl,
      NATS_PREFIX: iso.natsPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_MAX_MESSAGE_BYTES: String(64 * 1024),
      SMTP_MAX_RECIPIENTS: '3',
      INBOUND_MAIL_DOMAIN: DOMAIN,
      FORWARD_SMTP_HOST: '127.0.0.1',
      FORWARD_SMTP_PORT: String(catcher.port),
      MAIL_POLL_MS: '200',
      MAIL_LEASE_MS: '1500',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await catcher?.close();
    await peer?.close();
  });

  it('health ready includes the SMTP listener', async () => {
    const res = await fetch(`${service.url}/health/ready`);
    const body = (await res.json()) as { info: Record<string, { status: string }> };
    expect(res.status).toBe(200);
    expect(body.info.smtp?.status).toBe('up');
  });

  it('JIM-2: accepts the connection address and refuses any other recipient with 550 at RCPT (no relay)', async () => {
    const replies = await smtpDialogue(smtpPort, [
      'EHLO test.local\r\n',
      'MAIL FROM:<x@example.org>\r\n',
      `RCPT TO:<${inbound(CONN)}>\r\n`,
      `RCPT TO:<${inbound('unknown42')}>\r\n`,
      `RCPT TO:<${inbound('inactive9')}>\r\n`,
      'RCPT TO:<someone@gmail.com>\r\n',
      `RCPT TO:<${CONN}-wix-orderimport@${DOMAIN}>\r\n`,
      'QUIT\r\n',
    ]);
    expect(replies[2]).toMatch(/^250 /);
    expect(replies[3]).toMatch(/^550 /);
    expect(replies[4]).toMatch(/^550 /);
    expect(replies[5]).toMatch(/^550 /);
    expect(replies[6]).toMatch(/^550 /);
  });

  it('refuses a message over SMTP_MAX_MESSAGE_BYTES with 552 and advertises SIZE', async () => {
    const big = `Subject: big\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(100);
    const replies = await smtpDialogue(smtpPort, [
      'EHLO test.local\r\n',
      'MAIL FROM:<x@example.org>\r\n',
      `RCPT TO:<${inbound(CONN)}>\r\n`,
      'DATA\r\n',
      `${big}\r\n.\r\n`,
      'QUIT\r\n',
    ]);
    expect(replies[3]).toMatch(/^354/);
    expect(replies[4]).toMatch(/^552 /);
    const declared = await smtpDialogue(smtpPort, ['EHLO test.local\r\n', 'MAIL FROM:<x@example.org> SIZE=10000000\r\n', 'QUIT\r\n']);
    expect(declared[1]).toMatch(/^552 /);
  });

  it('caps the recipients of one message (452 past SMTP_MAX_RECIPIENTS)', async () => {
    const replies = await smtpDialogue(smtpPort, [
      'EHLO test.local\r\n',
      'MAIL FROM:<x@example.org>\r\n',
      ...['cap1', 'cap2', 'cap3', 'cap4'].map((id) => `RCPT TO:<${inbound(id)}>\r\n`),
      'QUIT\r\n',
    ]);
    expect(replies.slice(2, 5).every((r) => r.startsWith('250 '))).toBe(true);
    expect(replies[5]).toMatch(/^452 /);
  });

  it('JIM-1/JIM-4: an order mail is imported and its copy reaches the merchant unaltered', async () => {
    const mail = buildJimdoOrderMail({ seed: 21, shopKind: 'classic', locale: 'de', form: 'multipart', charset: 'windows-1252' });
    await send(mail.raw);
    const cmds = await waitFor(
      async () => {
        const c = await commandsFor(mail.order.orderNumber);
        return c.length > 0 ? c : undefined;
      },
      { what: 'import command' },
    );
    expect(cmds[0]).toMatchObject({ accountId: ACCOUNT, data: { connectionId: CONN, channel: 'jimdo' } });
    expect(cmds[0]!.eventId).toMatch(new RegExp(`^import:${CONN}:${mail.order.orderNumber}:[0-9a-f]{64}$`));
    const copy = await waitFor(() => catcher.received.find((m) => m.data.includes(Buffer.from(`.${mail.order.orderNumber}@`))), {
      what: 'forward copy',
    });
    expect(copy.to).toEqual([MERCHANT]);
    expect(copy.data.equals(mail.raw)).toBe(true);
  });

  it('HUB-2: the same mail sent twice yields one import command id', async () => {
    const mail = buildJimdoOrderMail({ seed: 23, shopKind: 'dolphin', locale: 'en', form: 'html' });
    const first = await send(mail.raw);
    const second = await send(mail.raw);
    expect(first.response).toMatch(/^250/);
    expect(second.response).toMatch(/^250 .*already received/);
    await waitFor(async () => (await commandsFor(mail.order.orderNumber)).length > 0, { what: 'import command' });
    await new Promise((r) => setTimeout(r, 1000));
    const cmds = await commandsFor(mail.order.orderNumber);
    expect(new Set(cmds.map((c) => c.eventId)).size).toBe(1);
    expect(cmds).toHaveLength(1);
  });

  it('JIM-3: positions without SKU are imported without sku', async () => {
    const mail = buildJimdoOrderMail({
      seed: 2,
      shopKind: 'classic',
      locale: 'de',
      form: 'html',
      charset: 'iso-8859-1',
      forward: 'gmail',
      forwardTo: inbound(CONN),
    });
    expect(mail.order.positions.some((p) => !p.sku)).toBe(true);
    await send(mail.raw);
    const [cmd] = await waitFor(
      async () => {
        const c = await commandsFor(mail.order.orderNumber);
        return c.length > 0 ? c : undefined;
      },
      { what: 'import command' },
    );
    const positions = cmd!.data.order.positions;
    expect(positions.filter((p) => !('sku' in p))).toHaveLength(mail.order.positions.filter((p) => !p.sku).length);
    expect(positions.filter((p) => p.sku).map((p) => p.sku)).toEqual(mail.order.positions.filter((p) => p.sku).map((p) => p.sku));
  });

  it('JIM-4: a non-order mail (address confirmation) is only forwarded', async () => {
    const confirm = buildJimdoAddressConfirmationMail({ merchantAddress: inbound(CONN), seed: 5 });
    const before = (await importCommands(peer, iso.natsPrefix)).length;
    await send(confirm.raw);
    const copy = await waitFor(() => catcher.received.find((m) => m.data.equals(confirm.raw)), { what: 'forwarded confirmation' });
    expect(copy.to).toEqual([MERCHANT]);
    await new Promise((r) => setTimeout(r, 800));
    expect((await importCommands(peer, iso.natsPrefix)).length).toBe(before);
  });

  it('loop protection: a mail coming back from our own forwarder is not forwarded again', async () => {
    const mail = buildJimdoAddressConfirmationMail({ merchantAddress: inbound(CONN), seed: 6 });
    await send(mail.raw, [inbound(CONN)], `mail-forward@${DOMAIN}`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(catcher.received.find((m) => m.data.equals(mail.raw))).toBeUndefined();
  });

  it('an order mail that cannot be read is parked with its reason and can be reprocessed', async () => {
    const raw = Buffer.from(
      `From: shop@jimdo.com\r\nTo: ${inbound(CONN)}\r\nSubject: Neue Bestellung Nr. 990077 in deinem Shop\r\nMessage-ID: <parked-1@jimdo.com>\r\n\r\nBestellnummer: 990077\r\nBestelldatum: 20.11.2026, 10:15 Uhr\r\n\r\nDie Artikelliste fehlt.\r\n`,
    );
    await send(raw);
    const request = (subject: string, body: unknown) =>
      peer
        .request(`${iso.natsPrefix}.${subject}`, JSON.stringify({ accountId: ACCOUNT, actor: 'test', body }), { timeout: 5000 })
        .then((m) => m.json<any>());
    const parked = await waitFor(
      async () => {
        const reply = await request('rpc.mail.parked.list', {});
        return reply.ok && reply.data.items.find((i: { orderNumber?: string }) => i.orderNumber === '990077');
      },
      { what: 'parked mail' },
    );
    expect(parked.reason).toBe('no order positions found');
    expect(parked.connectionIds).toEqual([CONN]);
    const other = await peer
      .request(`${iso.natsPrefix}.rpc.mail.parked.list`, JSON.stringify({ accountId: 'someone-else', actor: 'test', body: {} }))
      .then((m) => m.json<any>());
    expect(other.data.items).toHaveLength(0);
    const again = await request('rpc.mail.reprocess', { mailId: parked.id });
    expect(again).toMatchObject({ ok: true, data: { state: 'received' } });
    await waitFor(
      async () => {
        const reply = await request('rpc.mail.parked.list', {});
        return reply.data.items.some((i: { id: string }) => i.id === parked.id);
      },
      { what: 'parked again' },
    );
  });

  it('JIM-2: an inbound address in upper case is the same mailbox (250, not 550)', async () => {
    const replies = await smtpDialogue(smtpPort, [
      'EHLO test.local\r\n',
      'MAIL FROM:<x@example.org>\r\n',
      `RCPT TO:<${inbound(CONN).toUpperCase()}>\r\n`,
      'QUIT\r\n',
    ]);
    expect(replies[2]).toMatch(/^250 /);
  });

  it('a mail whose MIME structure is broken is parked naming that cause, not a missing order field', async () => {
    const raw = Buffer.from(
      `From: shop@jimdo.com\r\nTo: ${inbound(CONN)}\r\nSubject: Neue Bestellung Nr. 990088 in deinem Shop\r\nMessage-ID: <mime-1@jimdo.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b1"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nBestellnummer: 990088\r\nBestelldatum: 20.11.2026\r\n--b2--\r\n`,
    );
    await send(raw);
    const parked = await parkedWith('990088');
    expect(parked.reason).toMatch(/^broken MIME structure: the multipart boundary "b1" never occurs in the body/);
  });

  it('JIM-2: a connection deleted after RCPT takes no order from the mail (parked with the reason, no import command)', async () => {
    const mail = buildJimdoOrderMail({ seed: 31, shopKind: 'classic', locale: 'de', form: 'text' });
    const replies = await smtpDialogue(smtpPort, [
      'EHLO test.local\r\n',
      'MAIL FROM:<shop@jimdo.com>\r\n',
      `RCPT TO:<${inbound('gone1')}>\r\n`,
      async () => {
        // Deleted as the orders service does it: gone from the list, and a change notice, which makes
        // mail-ingest read the list again (seen here as its request).
        connections.splice(
          connections.findIndex((c) => c.id === 'gone1'),
          1,
        );
        let asked = 0;
        const spy = peer.subscribe(`${iso.natsPrefix}.${Rpc.connectionsForConnector}`, { callback: () => void (asked += 1) });
        const notice = { connectionId: 'gone1', accountId: ACCOUNT, type: 'jimdo', change: 'deleted' };
        peer.publish(`${iso.natsPrefix}.${Notices.connectionChanged}`, JSON.stringify(notice));
        await waitFor(() => asked > 0, { what: 'mail-ingest reading the connection list after the notice' });
        spy.unsubscribe();
      },
      'DATA\r\n',
      Buffer.concat([mail.raw, Buffer.from('\r\n.\r\n')]),
      'QUIT\r\n',
    ]);
    expect(replies[2]).toMatch(/^250 /);
    expect(replies[4]).toMatch(/^250 /);
    const parked = await parkedWith(mail.order.orderNumber);
    expect(parked.reason).toMatch(/connection gone1 no longer exists/);
    expect(await commandsFor(mail.order.orderNumber)).toHaveLength(0);
  });

  it('kill -9 right after the 250 still yields the import after restart', async () => {
    const mail = buildJimdoOrderMail({
      seed: 31,
      shopKind: 'dolphin',
      locale: 'de',
      form: 'multipart',
      forward: 'attachment',
      forwardTo: inbound(CONN),
    });
    const info = await send(mail.raw);
    expect(info.response).toMatch(/^250/);
    await service.stop('SIGKILL');
    await service.launch();
    const cmds = await waitFor(
      async () => {
        const c = await commandsFor(mail.order.orderNumber);
        return c.length > 0 ? c : undefined;
      },
      { what: 'import after restart', timeoutMs: 30_000 },
    );
    expect(new Set(cmds.map((c) => c.eventId)).size).toBe(1);
  });
});
