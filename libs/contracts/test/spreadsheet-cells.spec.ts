import { neutraliseSpreadsheetCell } from '../src/imports/spreadsheet-cells';

describe('neutraliseSpreadsheetCell (issue 16: formula cells neutralised on export)', () => {
  it.each(['=HYPERLINK("http://evil.example","click")', '+1+cmd|/C calc!A0', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '＝1+1'])(
    '%j is written as text',
    (cell) => {
      expect(neutraliseSpreadsheetCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['Müller GmbH', '12,50', '', ' =not a formula after a space', "'already quoted", 'a=b'])('%j stays as it is', (cell) => {
    expect(neutraliseSpreadsheetCell(cell)).toBe(cell);
  });
});
