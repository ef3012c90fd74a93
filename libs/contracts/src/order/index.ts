export * from './order-state';
export * from './money';
export * from './limits';
export * from './order';
