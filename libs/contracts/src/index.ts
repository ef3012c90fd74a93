export * from './subjects';
export * from './order';
export * from './connection';
export * from './article';
export * from './events';
export * from './rpc';
export * from './billbee';
export * from './webhooks';
