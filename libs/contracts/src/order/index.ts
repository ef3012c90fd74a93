export * from './order-state';
export * from './money';
export * from './limits';
export * from './order';
export * from './parked-channel-order';
export * from './content-hash';
