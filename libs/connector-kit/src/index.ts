export * from './channel-gateway';
export * from './connection-directory';
export * from './connector-config';
export * from './connector-kit.module';
export * from './connector-metrics';
export * from './kv-store';
export * from './lease-keeper';
export * from './poll-scheduler';
