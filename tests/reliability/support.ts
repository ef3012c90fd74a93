import type { RunningSystem } from '@orderhub/testkit';
import type { Order } from '@orderhub/contracts';
import {
  duplicates,
  dlqCli,
  hubCall,
  metricSum,
  ordersOfConnection,
  parseDlqList,
  RELIABILITY_ACTOR,
  simAdmin,
} from '../../bench/src/reliability-support';

/** The soak (`npm run reliability`) and these tests share their helpers: bench/src/reliability-support.ts. */
export { duplicates, dlqCli, metricSum, parseDlqList };
export const ACTOR = RELIABILITY_ACTOR;
export const admin = simAdmin;
export const call = hubCall;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ordersOf = (system: RunningSystem, accountId: string, connectionId: string): Promise<Order[]> =>
  ordersOfConnection(system, accountId, connectionId);
