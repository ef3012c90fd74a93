import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { CONNECTOR_KV } from '@orderhub/connector-kit';

export type ProductIssueKind = 'missing_identifier' | 'conflict';

/** One article that did not (fully) reach wemalo, kept until a later transfer succeeds (WEM-3). */
export interface ProductIssue {
  articleId: string;
  title: string;
  sku?: string;
  ean?: string;
  kind: ProductIssueKind;
  detail: string;
  at: string;
}

export interface ProductReport {
  connectionId: string;
  missingIdentifiers: ProductIssue[];
  conflicts: ProductIssue[];
}

/** The product report lives in the connector's KV bucket, one key per article, so replicas never overwrite each other. */
@Injectable()
export class ProductReportStore {
  constructor(@Inject(CONNECTOR_KV) private readonly kv: KV) {}

  private key(connectionId: string, articleId: string): string {
    return `productissue.${connectionId}.${kvToken(articleId)}`;
  }

  async record(connectionId: string, issue: ProductIssue): Promise<void> {
    await this.kv.put(this.key(connectionId, issue.articleId), JSON.stringify(issue));
  }

  async clear(connectionId: string, articleId: string): Promise<void> {
    const entry = await this.kv.get(this.key(connectionId, articleId));
    if (entry && entry.operation === 'PUT' && entry.length > 0) await this.kv.delete(this.key(connectionId, articleId));
  }

  async report(connectionId: string): Promise<ProductReport> {
    const report: ProductReport = { connectionId, missingIdentifiers: [], conflicts: [] };
    const keys = await this.kv.keys(`productissue.${connectionId}.*`);
    const all: string[] = [];
    for await (const k of keys) all.push(k);
    for (const k of all.sort()) {
      const entry = await this.kv.get(k);
      if (!entry || entry.operation !== 'PUT' || entry.length === 0) continue;
      const issue = entry.json<ProductIssue>();
      (issue.kind === 'conflict' ? report.conflicts : report.missingIdentifiers).push(issue);
    }
    return report;
  }
}

/** KV keys allow letters, digits, `-`, `_`, `=` and `.` as separator only. */
export function kvToken(value: string): string {
  return /^[A-Za-z0-9_=-]+$/.test(value) ? value : Buffer.from(value).toString('base64url');
}
