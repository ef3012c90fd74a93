export * from './query-params';
