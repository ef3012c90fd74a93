import { z } from 'zod';
import { rpcRequest } from '../rpc/requests';

/**
 * The native API's keys of an account (issue 16): several at a time, so one can be rotated in before
 * the old one is revoked. The secret is shown once, in the answer that creates it, and stored hashed.
 */
export const ApiKeyViewSchema = z.object({
  id: z.string().describe('The key id (`key_…`); audit entries name it as `api-key:<id>`'),
  name: z.string().describe('What the merchant called it'),
  createdAt: z.string(),
});
export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

export const ApiKeyCreatedSchema = ApiKeyViewSchema.extend({
  apiKey: z.string().describe('The secret: shown only in this answer, never listed'),
});
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

export const CreateApiKeySchema = z.strictObject({ name: z.string().trim().min(1).max(100).describe('What the key is for') });
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;

export const ApiKeyRpcRequests = {
  create: rpcRequest(CreateApiKeySchema),
  list: rpcRequest(z.object({})),
  revoke: rpcRequest(z.object({ apiKeyId: z.string().min(1).max(100) })),
};

/** A parsed request of one API-key RPC, as its handler receives it. */
export type ApiKeyRpcRequestOf<K extends keyof typeof ApiKeyRpcRequests> = z.infer<(typeof ApiKeyRpcRequests)[K]>;

/**
 * Published on `Notices.apiKeyRevoked` once a revocation is stored: every gateway replica drops the
 * key from its cache at once instead of trusting it until the cache entry expires.
 */
export const ApiKeyRevokedNoticeSchema = z.object({ accountId: z.string().min(1), apiKeyId: z.string().min(1) });
export type ApiKeyRevokedNotice = z.infer<typeof ApiKeyRevokedNoticeSchema>;
