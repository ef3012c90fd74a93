export * from './order-state';
export * from './order';
