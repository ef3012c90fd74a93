import { z } from 'zod';

/** A user name identifies the user across accounts (it is all sign-in asks for), so it is compared in lower case. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(100)
  .regex(/^[a-z0-9._@+-]+$/, 'letters, digits and . _ @ + - only')
  .describe('Sign-in name, e.g. an e-mail address; unique over all accounts, case-insensitive');
export const PasswordSchema = z.string().min(10).max(200).describe('At least 10 characters; stored only as a scrypt hash');

export const CreateUserSchema = z.object({ username: UsernameSchema, password: PasswordSchema });
export const UserSchema = z.object({ id: z.string(), username: z.string(), createdAt: z.string() });
export type User = z.infer<typeof UserSchema>;
export const UserListSchema = z.object({ items: z.array(UserSchema) });

export const SignInSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(200),
});
/** A session for the web app: send `token` as `Authorization: Bearer <token>` until `expiresAt`; sign-out revokes it. */
export const SessionCreatedSchema = z.object({ token: z.string(), expiresAt: z.string(), username: z.string() });
export const SessionsCreateReplySchema = SessionCreatedSchema.extend({ accountId: z.string(), sessionId: z.string() });
export const SessionsAuthenticateRequestSchema = z.object({ token: z.string().min(1).max(200) });
export const SessionsAuthenticateReplySchema = z.object({
  accountId: z.string(),
  sessionId: z.string(),
  username: z.string(),
  expiresAt: z.string(),
});

/** Session tokens start with this, API keys with `oh_`: the gateway tells them apart without a lookup. */
export const SESSION_TOKEN_PREFIX = 'ohs_';
