export * from './import-job';
export * from './spreadsheet-cells';
