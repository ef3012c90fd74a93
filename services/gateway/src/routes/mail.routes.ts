import { Rpc, RpcContextSchema } from '@orderhub/contracts';
import { z } from 'zod';
import { defineRoute, IdParam, named, type RouteContext } from './route';

/**
 * JIM: an order mail that could not be parsed is parked with the reason; the merchant sees it here and
 * can have it parsed again (e.g. after a profile fix). Served by mail-ingest over core-NATS RPC with the
 * same `{ accountId, actor, body }` envelope as the orders service. The shapes are mail-ingest's
 * (`src/processing/parked-mail.controller.ts` there); they belong in @orderhub/contracts once it has them.
 */
const ParkedListBody = z.object({ limit: z.number().int().min(1).max(200), cursor: z.string().max(200).optional() });
const ReprocessBody = z.object({ mailId: z.string().min(1).max(200) });

/** Like callOrders, for mail-ingest's subjects (not part of RpcRequests): checked before it is sent. */
async function callMailIngest<T>(
  ctx: Pick<RouteContext<unknown, unknown, unknown>, 'caller' | 'rpc' | 'config'>,
  subject: string,
  body: z.ZodType,
  value: unknown,
): Promise<T> {
  const request = RpcContextSchema.extend({ body }).parse({ accountId: ctx.caller.accountId, actor: ctx.caller.actor, body: value });
  return ctx.rpc.call<T>(subject, request, ctx.config.RPC_TIMEOUT_MS);
}

const ParkedMailPage = named(
  'ParkedMailPage',
  z.object({
    items: z.array(
      z.object({
        id: z.string().describe('Mail id, for reprocess'),
        receivedAt: z.string(),
        subject: z.string().optional(),
        messageId: z.string().optional(),
        from: z.string().optional().describe('Envelope sender'),
        connectionIds: z.array(z.string()).describe('The jimdo connections of the account the mail was addressed to'),
        orderNumber: z.string().optional().describe('If the parser got that far'),
        reason: z.string().optional().describe('Why the mail was parked'),
        size: z.number().int().optional(),
      }),
    ),
    nextCursor: z.string().optional().describe('Pass as `cursor` for the next page'),
  }),
);
const Reprocessing = named('MailReprocessing', z.object({ mailId: z.string(), state: z.literal('received') }));

const listParked = defineRoute({
  operationId: 'listParkedMails',
  method: 'GET',
  path: '/mail/parked',
  tag: 'Mail',
  summary: 'Order e-mails that could not be parsed, with the reason (newest first)',
  query: z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
  }),
  response: { status: 200, description: 'A page of parked mails (the raw mail is not included)', schema: ParkedMailPage },
  problems: [],
  async handle(ctx) {
    const body = { limit: ctx.query.limit, ...(ctx.query.cursor ? { cursor: ctx.query.cursor } : {}) };
    return { body: await callMailIngest(ctx, Rpc.mailParkedList, ParkedListBody, body) };
  },
});

const reprocess = defineRoute({
  operationId: 'reprocessMail',
  method: 'POST',
  path: '/mail/{mailId}/reprocess',
  tag: 'Mail',
  summary: 'Parse a parked e-mail again with the current mail profile; no request body',
  params: z.object({ mailId: IdParam.describe('Mail id from the parked list') }),
  response: { status: 202, description: 'The mail is queued for parsing again', schema: Reprocessing },
  problems: [404],
  async handle(ctx) {
    return { body: await callMailIngest(ctx, Rpc.mailReprocess, ReprocessBody, { mailId: ctx.params.mailId }) };
  },
});

export const mailRoutes = [listParked, reprocess];
