export * from './jimdo-order';
export * from './jimdo-mail';
export * from './jimdo-csv';
export * from './smtp';
export * from './variants';
export * from './fixtures';
export type { ForwardStyle } from './forwarding';
export type { MailCharset, TransferEncoding } from './mime';
export { money, renderHtml, renderText, subjectOf } from './jimdo-templates';
