export * from './envelope';
export * from './order-events';
export * from './channel-commands';
export * from './domain-events';
