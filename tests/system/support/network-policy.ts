/**
 * Just enough of Kubernetes NetworkPolicy semantics to ask "may pod A open TCP port P on B?" of a
 * rendered overlay: policies select pods by labels; a pod selected by a policy of a direction allows
 * only what one of those policies' rules allows; a peer is a podSelector (same namespace), a
 * namespaceSelector (+ podSelector) or an ipBlock; a rule without peers or ports matches any.
 */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicy {
  metadata: { name: string; namespace?: string };
  spec: { podSelector: LabelSelector; policyTypes?: ('Ingress' | 'Egress')[]; ingress?: PolicyRule[]; egress?: PolicyRule[] };
}

/** A pod template: its labels and named container ports. */
export interface Workload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Record<string, number>;
}

/** Where a connection goes: a pod of the overlay, or an address outside it (a public or external IP). */
export type Destination = { pod: Workload; port: number } | { ip: string; port: number };
export type Protocol = 'TCP' | 'UDP';

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(has && e.values?.includes(value!))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(value!)) return false;
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  const value = ipToInt(ip);
  return value >= start && value < start + size;
}

function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: Protocol, named: Record<string, number>): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === 'string' ? named[p.port] : p.port;
    if (number === undefined) return false;
    return p.endPort ? port >= number && port <= p.endPort : port === number;
  });
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Workload | { ip: string }): boolean {
  if ('ip' in other) {
    if (!peer.ipBlock) return false;
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (peer.ipBlock) return false;
  // One namespace per overlay: a namespaceSelector either selects it (empty or matching) or names another.
  const namespaceOk = peer.namespaceSelector
    ? Object.keys(peer.namespaceSelector.matchLabels ?? {}).length === 0
    : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

function allowedBy(
  policies: NetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  subject: Workload,
  other: Workload | { ip: string },
  port: number,
  protocol: Protocol,
  namedPorts: Record<string, number>,
): boolean {
  const applying = policies.filter(
    (p) =>
      (p.metadata.namespace ?? subject.namespace) === subject.namespace &&
      selects(p.spec.podSelector, subject.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(direction),
  );
  if (applying.length === 0) return true;
  return applying.some((p) =>
    (direction === 'Ingress' ? (p.spec.ingress ?? []) : (p.spec.egress ?? [])).some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, subject.namespace, other));
      return peerOk && portMatches(rule.ports, port, protocol, namedPorts);
    }),
  );
}

/** Whether `from` may reach `to`: its egress policies and the target's ingress policies allow it. */
export function connectionAllowed(policies: NetworkPolicy[], from: Workload, to: Destination, protocol: Protocol = 'TCP'): boolean {
  if ('ip' in to) return allowedBy(policies, 'Egress', from, { ip: to.ip }, to.port, protocol, {});
  return (
    allowedBy(policies, 'Egress', from, to.pod, to.port, protocol, to.pod.ports) &&
    allowedBy(policies, 'Ingress', to.pod, from, to.port, protocol, to.pod.ports)
  );
}
