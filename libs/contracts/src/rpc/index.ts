export * from './problem';
export * from './requests';
