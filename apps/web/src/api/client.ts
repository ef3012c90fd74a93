import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Order = Schemas['Order'];
export type Connection = Schemas['Connection'];
export type ConnectionType = Connection['type'];
export type Problem = Schemas['Problem'];
export type ImportJob = Schemas['ImportJob'];
export type ImportRow = Schemas['ImportRowPage']['items'][number];
export type ParkedMail = Schemas['ParkedMailPage']['items'][number];
export type ParkedShopOrder = Schemas['ParkedChannelOrderList']['items'][number];

/** A refusal of the API (RFC 9457 problem), or `status: 0` when the gateway could not be reached. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

let apiKey: string | undefined;
let onUnauthorized: () => void = () => undefined;

export function setApiKey(key: string | undefined, whenRefused: () => void = () => undefined): void {
  apiKey = key;
  onUnauthorized = whenRefused;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (apiKey) request.headers.set('Authorization', `Bearer ${apiKey}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

/** The typed client of the gateway's `/api/v1` (types generated from its OpenAPI document: `npm run gen:api`). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** The data of an answer, or an ApiError with the problem the gateway sent. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'network', status: 0 });
  }
  if (result.response.ok) return result.data as T;
  const error = result.error as Partial<Problem> | undefined;
  throw new ApiError({
    type: error?.type ?? 'about:blank',
    title: error?.title ?? result.response.statusText,
    status: result.response.status,
    detail: error?.detail,
    ruleId: error?.ruleId,
    errors: error?.errors,
  });
}

/** The API key check: a cheap authenticated read. */
export async function checkApiKey(key: string): Promise<boolean> {
  const res = await fetch('/api/v1/connections', { headers: { Authorization: `Bearer ${key}` } });
  return res.ok;
}

/** User name and password → a session token (expires; sign-out ends it), or undefined when refused. */
export async function signInWithPassword(username: string, password: string): Promise<string | undefined> {
  const res = await fetch('/api/v1/sessions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) return undefined;
  return ((await res.json()) as { token: string }).token;
}

/** Ends a user's session on the server; an API key has none to end. */
export async function endSession(token: string): Promise<void> {
  if (!token.startsWith('ohs_')) return;
  await fetch('/api/v1/sessions/current', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
}

/** For requests outside the typed client (the event stream, file uploads). */
export function authorizationHeader(): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}
