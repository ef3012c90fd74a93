import { ProblemError } from '@orderhub/contracts';

/**
 * Channel rules the orders domain enforces. They depend only on the channel name and the connection's
 * settings at hand, so they stay plain functions the aggregate and the use cases can ask.
 */
export interface ConnectionPolicy {
  type: string;
  settings: Record<string, unknown>;
}

export interface PositionLock {
  locked: boolean;
  /** Which rule locked them, named in the refusal. */
  ruleId?: 'OTTO-1' | 'SSP-2';
}

/** OTTO-1 (setting "lock order positions") and SSP-2 ("lock order positions / forbid invoice creation"). */
export function positionLockFor(connection: ConnectionPolicy | undefined): PositionLock {
  if (!connection) return { locked: false };
  if (connection.type === 'otto') return { locked: connection.settings.lockPositions !== false, ruleId: 'OTTO-1' };
  if (connection.type === 'serverspot') {
    return connection.settings.lockPositionsForbidInvoices === true ? { locked: true, ruleId: 'SSP-2' } : { locked: false };
  }
  return { locked: false };
}

/** OTTO-2: OTTO creates the invoice itself, always. SSP-2: the connection may forbid invoices. */
export function assertInvoiceAllowed(channel: string, connection: ConnectionPolicy | undefined): void {
  if (channel === 'otto' || connection?.type === 'otto') {
    throw ProblemError.channelRule('OTTO-2', 'OTTO creates the invoice for OTTO orders; the hub may not create one');
  }
  if (connection?.type === 'serverspot' && connection.settings.lockPositionsForbidInvoices === true) {
    throw ProblemError.channelRule('SSP-2', 'this connection forbids invoice creation');
  }
}

/** OTTO-8: OTTO orders are only ever cancelled as a whole. */
export function assertCancellable(channel: string, positionExternalIds: string[] | undefined): void {
  if (!positionExternalIds?.length) return;
  if (channel === 'otto') throw ProblemError.channelRule('OTTO-8', 'OTTO orders can only be cancelled as a whole');
  throw ProblemError.validation(
    [{ path: 'positionExternalIds', message: 'cancelling single positions is not supported' }],
    'Only whole orders can be cancelled',
  );
}
