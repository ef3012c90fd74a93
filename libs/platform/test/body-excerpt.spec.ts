import { bodyExcerpt, HttpStatusError } from '../src/http/outbound-http';

describe('bodyExcerpt: what of a remote answer may be logged (issue 16)', () => {
  it('keeps one short line and hides token-like strings', () => {
    const body = `{"error":"invalid_token",\n"access_token":"${'a1B2'.repeat(20)}","detail":"${'x '.repeat(400)}"}`;
    const excerpt = bodyExcerpt(body);
    expect(excerpt).not.toContain('a1B2a1B2');
    expect(excerpt).not.toContain('\n');
    expect(excerpt.length).toBeLessThanOrEqual(161);
    expect(excerpt).toContain('invalid_token');
  });

  it('an HTTP error message carries only the excerpt, never the whole body', () => {
    const err = new HttpStatusError(401, `Unauthorized ${'s3cr3tT0k3n'.repeat(10)} ${'y'.repeat(5000)}`, undefined, 'GET /v4/orders');
    expect(err.message).not.toContain('s3cr3tT0k3n');
    expect(err.message.length).toBeLessThan(220);
  });
});
