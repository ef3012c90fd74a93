export * from './problem';
export * from './requests';
export * from './page';
export * from './methods';
