/**
 * Characters that make a spreadsheet program read a cell as a formula (or, for tab and CR, shift it
 * into one): `=`, `+`, `-`, `@`, tab, carriage return. Also their full-width forms, which some
 * programs normalise before they evaluate.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A cell value as it may be written into a CSV or xlsx file the hub hands out: a value a spreadsheet
 * would evaluate gets a leading `'` (shown as text, the formula never runs). Imports store cells as
 * they came; every spreadsheet the hub writes must pass each text cell through this (issue 16).
 * Numbers are not text cells and stay as they are.
 */
export function neutraliseSpreadsheetCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
