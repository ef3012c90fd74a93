import { connectionUrlRefusal, parseAllowedHosts } from '../../src/connections/connection-url-policy';

/** Issue 16: connectors send the merchant's credentials to the URL a connection names. */
describe('connection URL policy', () => {
  const none = parseAllowedHosts('');
  const simulators = parseAllowedHosts('127.0.0.1, localhost');

  it('accepts https to a public host', () => {
    expect(connectionUrlRefusal('https://shop.example.com/api/billbee', none)).toBeUndefined();
    expect(connectionUrlRefusal('https://api.otto.market', none)).toBeUndefined();
    expect(connectionUrlRefusal('https://93.184.216.34/api', none)).toBeUndefined();
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://shop.example.com/', 'gopher://shop.example.com/'])(
    'refuses %s (only https)',
    (url) => {
      expect(connectionUrlRefusal(url, simulators)).toMatch(/only https/);
    },
  );

  it('refuses plain http unless the operator allows the host', () => {
    expect(connectionUrlRefusal('http://shop.example.com/api', none)).toMatch(/only https/);
    expect(connectionUrlRefusal('http://127.0.0.1:7102/shops/x/api', simulators)).toBeUndefined();
    expect(connectionUrlRefusal('http://localhost:7101', simulators)).toBeUndefined();
  });

  it.each([
    'https://127.0.0.1/',
    'https://127.1.2.3:8443/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://10.0.0.5/',
    'https://172.20.1.1/',
    'https://192.168.1.10/',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
    'https://api.localhost/',
    'https://orders/',
    'https://nats.orderhub.svc/',
    'https://orders.orderhub.svc.cluster.local/',
    'https://metadata.google.internal/',
  ])('refuses the internal address %s unless allowed', (url) => {
    expect(connectionUrlRefusal(url, none)).toMatch(/internal address/);
  });

  it('an allowed host may be internal', () => {
    expect(connectionUrlRefusal('https://127.0.0.1:9/api', simulators)).toBeUndefined();
  });

  it('refuses credentials in the URL', () => {
    expect(connectionUrlRefusal('https://user:pw@shop.example.com/', none)).toMatch(/secrets/);
  });
});
