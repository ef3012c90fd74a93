import { type ConnectionType, type ConnectorConnection, Rpc } from '@orderhub/contracts';
import type { RpcClient, SecretBox } from '@orderhub/platform';
import type { ConnectorConfig } from './connector-config';

export interface ActiveConnection<TSettings = Record<string, unknown>, TSecrets = Record<string, unknown>> {
  id: string;
  accountId: string;
  type: ConnectionType;
  settings: TSettings;
  /** Decrypted only in memory, only here; never logged. */
  secrets: TSecrets;
  capabilities: string[];
}

/** The connections this connector serves, from the orders service, with secrets decrypted in memory. */
export class ConnectionDirectory {
  constructor(
    private readonly rpc: RpcClient,
    private readonly secrets: SecretBox,
    private readonly type: ConnectionType,
    private readonly selector: Pick<ConnectorConfig, 'CONNECTION_ACCOUNT_IDS' | 'CONNECTION_IDS'>,
  ) {}

  async list<TSettings = Record<string, unknown>, TSecrets = Record<string, unknown>>(): Promise<ActiveConnection<TSettings, TSecrets>[]> {
    const connections = await this.rpc.call<ConnectorConnection[]>(Rpc.connectionsForConnector, {
      type: this.type,
      accountIds: this.selector.CONNECTION_ACCOUNT_IDS.length ? this.selector.CONNECTION_ACCOUNT_IDS : undefined,
      connectionIds: this.selector.CONNECTION_IDS.length ? this.selector.CONNECTION_IDS : undefined,
    });
    return connections.map((c) => ({
      id: c.id,
      accountId: c.accountId,
      type: c.type,
      settings: c.settings as TSettings,
      secrets: this.secrets.decrypt<TSecrets>(c.encryptedSecrets),
      capabilities: c.capabilities,
    }));
  }
}
