import { BillbeeErrorCode, type BillbeeErrorCodeName } from './enums';

/** `ApiResult<T>`: the envelope of every single-object answer (reference §3). */
export interface BillbeeApiResult<T> {
  ErrorMessage: string | null;
  ErrorCode: number;
  /** The enum name on the wire (`"NoError"`), as real Billbee responses carry it. */
  ErrorDescription: string;
  Data: T | null;
}

export interface BillbeePaging {
  Page: number;
  TotalPages: number;
  TotalRows: number;
  PageSize: number;
}

/** `ApiPagedResult<T>`: `Paging` first, as in the real body. */
export type BillbeePagedResult<T> = { Paging: BillbeePaging } & BillbeeApiResult<T[]>;

export function billbeeResult<T>(data: T): BillbeeApiResult<T> {
  return { ErrorMessage: null, ErrorCode: BillbeeErrorCode.NoError, ErrorDescription: 'NoError', Data: data };
}

export function billbeeError(code: BillbeeErrorCodeName, message: string): BillbeeApiResult<never> {
  return { ErrorMessage: message, ErrorCode: BillbeeErrorCode[code], ErrorDescription: code, Data: null };
}

/** `page` is 1-based; an empty list has 0 pages (clients loop while `Page < TotalPages`). */
export function billbeePage<T>(items: T[], page: number, pageSize: number, totalRows: number): BillbeePagedResult<T> {
  return {
    Paging: { Page: page, TotalPages: Math.ceil(totalRows / pageSize), TotalRows: totalRows, PageSize: pageSize },
    ...billbeeResult(items),
  };
}
