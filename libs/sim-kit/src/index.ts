export * from './berlin-time';
export * from './faults';
export * from './rate-limit';
export * from './request-counter';
export * from './seeded-random';
export * from './simulator-app';
export * from './env';
