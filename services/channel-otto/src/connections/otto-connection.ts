import { OttoSecretsSchema, OttoSettingsSchema } from '@orderhub/contracts';
import type { ActiveConnection } from '@orderhub/connector-kit';
import type { z } from 'zod';

export type OttoSettings = z.infer<typeof OttoSettingsSchema>;
export type OttoSecrets = z.infer<typeof OttoSecretsSchema>;

/** A connection with its settings parsed (defaults applied) and its credentials decrypted. */
export interface OttoConnection {
  id: string;
  accountId: string;
  type: 'otto';
  settings: OttoSettings;
  secrets: OttoSecrets;
}

/** Parses what the directory delivers; a connection with unusable settings is skipped (and logged by the caller). */
export function toOttoConnection(c: ActiveConnection): OttoConnection | { error: string } {
  const settings = OttoSettingsSchema.safeParse(c.settings);
  const secrets = OttoSecretsSchema.safeParse(c.secrets);
  if (!settings.success) return { error: `settings: ${settings.error.issues.map((i) => i.message).join('; ')}` };
  if (!secrets.success) return { error: 'secrets: username and password are required' };
  return { id: c.id, accountId: c.accountId, type: 'otto', settings: settings.data, secrets: secrets.data };
}
