export * from './capabilities';
export * from './connection';
