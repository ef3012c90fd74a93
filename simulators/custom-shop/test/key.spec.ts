import { computeCustomShopKey, keyTimeBucket } from '../src/key';

describe('Custom Shop API Key (client side computation)', () => {
  it('SSP-3: matches the reference test vectors', () => {
    expect(computeCustomShopKey('1234', 1_700_000_000)).toBe(
      'OWM2YjQzNjkwMTNlM2ZmMjY1ZWQ1YWJhMTk1Nzc0ZWI3MWMyODZkYjJmNjAxMjQ5NGJkN2Y3MzM1MjMzMWMxMw',
    );
    expect(computeCustomShopKey('MySecretKey', 1_700_000_000)).toBe(
      'NTc4MDZhZmNhMGE3MTkzNjk5YTZmOTZkNTA4Yzg1M2IyMWNlYzY2MWZjMTUzZWQzNDkwMGJlNGNjYjcxZTU1ZA',
    );
  });

  it('SSP-3: is constant within a 1000 s window and changes at its boundary', () => {
    expect(computeCustomShopKey('MySecretKey', 1_700_000_999)).toBe(computeCustomShopKey('MySecretKey', 1_700_000_000));
    expect(computeCustomShopKey('MySecretKey', 1_700_001_000)).toBe(
      'ZmY3NDZkNTI1MzkxOWVkNzg3MmE3MmRhOTdmNmYzMjNlNTQzMDZhNmQ5Y2VkNGViODc0ZjRkYzE5N2RmMWM0ZQ',
    );
    expect(keyTimeBucket(1_700_001_000)).toBe('1700001');
  });

  it('SSP-3: is 86 characters of [A-Za-z0-9], safe in a URL without escaping', () => {
    expect(computeCustomShopKey('any-shop-key', 1_712_345_678)).toMatch(/^[A-Za-z0-9]{86}$/);
  });
});
