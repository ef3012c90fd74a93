import { type ConnectionType, type ConnectorConnection, Rpc } from '@orderhub/contracts';
import type { RpcClient, SecretBox } from '@orderhub/platform';
import type { ConnectorConfig } from './connector-config';

/** A connection as the orders service delivers it, secrets decrypted (in memory only, never logged). */
export interface ActiveConnection<TSettings = Record<string, unknown>, TSecrets = Record<string, unknown>> {
  id: string;
  accountId: string;
  type: ConnectionType;
  settings: TSettings;
  secrets: TSecrets;
  capabilities: string[];
}

/**
 * The active connections of one type, read from the orders service. Without a SecretBox (a connector
 * that holds no credentials, e.g. the Jimdo mail import) the secrets stay empty.
 */
export class ConnectionDirectory {
  constructor(
    private readonly rpc: RpcClient,
    private readonly secrets: SecretBox | undefined,
    private readonly type: ConnectionType,
    private readonly selector: Pick<ConnectorConfig, 'CONNECTION_ACCOUNT_IDS' | 'CONNECTION_IDS'>,
    private readonly timeoutMs = 10_000,
  ) {}

  async list(): Promise<ActiveConnection[]> {
    const connections = await this.rpc.call<ConnectorConnection[]>(
      Rpc.connectionsForConnector,
      {
        type: this.type,
        accountIds: this.selector.CONNECTION_ACCOUNT_IDS.length ? this.selector.CONNECTION_ACCOUNT_IDS : undefined,
        connectionIds: this.selector.CONNECTION_IDS.length ? this.selector.CONNECTION_IDS : undefined,
      },
      this.timeoutMs,
    );
    return connections
      .filter((c) => c.type === this.type)
      .map((c) => ({
        id: c.id,
        accountId: c.accountId,
        type: c.type,
        settings: c.settings,
        secrets: this.secrets ? this.secrets.decrypt<Record<string, unknown>>(c.encryptedSecrets) : {},
        capabilities: c.capabilities,
      }));
  }
}
