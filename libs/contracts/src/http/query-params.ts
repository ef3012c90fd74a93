import { z } from 'zod';
import { OrderStateIdSchema } from '../order/order';
import { ListArticlesQuerySchema, ListConnectionsQuerySchema, ListOrdersQuerySchema } from '../rpc/requests';
import { ParkedMailListQuerySchema } from '../mail/parked-mail';
import { ImportRowsQuerySchema, ImportUploadQuerySchema } from '../imports/import-job';

/**
 * The query strings of the public list routes: the RPC query schemas themselves (their numbers are
 * coerced), strict, so a parameter the route does not know (`connectionId[$ne]`) is refused, not dropped.
 */

/** `?state=1&state=3` or `?state=1,3` → [1, 3]; anything non-numeric fails the state id check. */
const StateIdsParam = z
  .union([z.string(), z.array(z.string())])
  .describe('Order state id(s) 1..17 as in Billbee; repeat the parameter or give a comma list')
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN)),
  )
  .pipe(z.array(OrderStateIdSchema));

export const ListOrdersParamsSchema = ListOrdersQuerySchema.extend({ state: StateIdsParam.optional() }).strict();
export const ListArticlesParamsSchema = ListArticlesQuerySchema.strict();
export const ListParkedMailsParamsSchema = ParkedMailListQuerySchema.strict();
export const ImportUploadParamsSchema = ImportUploadQuerySchema.strict();
export const ImportRowsParamsSchema = ImportRowsQuerySchema.strict();
export const ListConnectionsParamsSchema = ListConnectionsQuerySchema.strict();
