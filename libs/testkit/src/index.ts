export * from './backends';
export * from './event-probe';
export * from './isolation';
export * from './local-binaries';
export * from './ports';
export * from './service-process';
export * from './system';
