export * from './import-job';
