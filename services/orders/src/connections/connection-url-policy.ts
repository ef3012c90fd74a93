import { BlockList, isIP } from 'node:net';

/**
 * Where a connection may send the merchant's credentials. Connectors call the URL a merchant enters,
 * so an address inside our network (loopback, private and link-local ranges, cluster names) would let
 * any API key reach internal services. Such hosts, and plain http, need the operator's allowance
 * (`CONNECTION_URL_ALLOW_HOSTS`, e.g. `127.0.0.1,localhost` for the simulators in tests and dev).
 * Host names are judged by their form, not resolved: the connectors' egress NetworkPolicies refuse
 * private addresses a public name might resolve to.
 */
const INTERNAL_RANGES = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  INTERNAL_RANGES.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  INTERNAL_RANGES.addSubnet(net, prefix, 'ipv6');
}

const INTERNAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|svc|cluster\.local)$/;

export function parseAllowedHosts(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Why the URL is refused, or undefined when a connector may call it. */
export function connectionUrlRefusal(raw: string, allowedHosts: ReadonlySet<string>): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = allowedHosts.has(host);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `only https URLs are accepted, not ${url.protocol}`;
  if (url.protocol === 'http:' && !allowed) return 'only https URLs are accepted (plain http only to hosts the operator allows)';
  if (url.username || url.password) return 'credentials belong in the secrets, not in the URL';
  if (allowed) return undefined;
  if (isInternalHost(host)) return `${host} is an internal address (loopback, private, link-local or a cluster name)`;
  return undefined;
}

function isInternalHost(host: string): boolean {
  const family = isIP(host);
  if (family === 4) return INTERNAL_RANGES.check(host, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1] ?? ipv4FromMappedHex(host);
    return mapped ? INTERNAL_RANGES.check(mapped, 'ipv4') : INTERNAL_RANGES.check(host, 'ipv6');
  }
  // A name without a dot is a cluster or LAN name, never a shop on the internet.
  return !host.includes('.') || INTERNAL_NAME.test(host.replace(/\.$/, ''));
}

/** `::ffff:7f00:1` (how URL writes an IPv4-mapped address) → `127.0.0.1`. */
function ipv4FromMappedHex(host: string): string | undefined {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!m) return undefined;
  const [hi, lo] = [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}
