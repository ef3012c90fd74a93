export * from './parked-mail';
