import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorTriggers, Notices, Rpc, RpcMethods, Subjects } from '@orderhub/contracts';
import { NATS_USERS, REPO_ROOT, subjectMatches } from '@orderhub/testkit';

/**
 * The NATS permission table (libs/testkit/src/nats-auth.ts) covers what the code subscribes to and
 * calls: a new `@EventPattern`, `@MessagePattern`, trigger subscription or `rpc.call` without its
 * entry fails here, with the service and subject, before it turns into a refused subject at runtime.
 */
const contracts: Record<string, Record<string, string>> = { Subjects, Rpc, ConnectorTriggers, Notices };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

interface Use {
  kind: 'consumes' | 'serves' | 'calls';
  subject?: string;
  expression: string;
}

function usesOf(service: string): Use[] {
  // Command-line tools (src/cli) connect as the operator user, not as the service.
  const files = sourceFiles(join(REPO_ROOT, 'services', service, 'src')).filter((f) => !f.includes(`${join('src', 'cli')}/`));
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const resolve = (expression: string): string | undefined => {
    const literal = /^'([^']+)'$/.exec(expression);
    if (literal) return literal[1];
    // an RPC method of the contracts: `RpcMethods.x.subject`, `x.subject` (destructured) or `RpcMethods.x`
    const method = /^(?:RpcMethods\.)?(\w+)\.subject$/.exec(expression) ?? /^RpcMethods\.(\w+)$/.exec(expression);
    if (method && method[1]! in RpcMethods) return RpcMethods[method[1] as keyof typeof RpcMethods].subject;
    const member = /^(\w+)\.(\w+)$/.exec(expression);
    if (member) return contracts[member[1]!]?.[member[2]!];
    return new RegExp(`const ${expression}\\s*=\\s*'([^']+)'`).exec(text)?.[1];
  };
  const patterns: [Use['kind'], RegExp][] = [
    ['consumes', /@EventPattern\(\s*([^,)\s]+)/g],
    ['serves', /@MessagePattern\(\s*([^,)\s]+)/g],
    ['serves', /nc\.subscribe\(\s*this\.nats\.names\.subject\(\s*([^,)\s]+)/g],
    ['calls', /rpc\.call(?:<[^(]*>)?\(\s*([^,)\s]+)/g],
    ['calls', /rpc\.invoke\(\s*(RpcMethods\.\w+)/g],
  ];
  return patterns.flatMap(([kind, re]) => [...text.matchAll(re)].map((m) => ({ kind, expression: m[1]!, subject: resolve(m[1]!) })));
}

const services = readdirSync(join(REPO_ROOT, 'services')).filter((s) => statSync(join(REPO_ROOT, 'services', s, 'src')).isDirectory());

describe('issue 16: the NATS permission table covers what each service subscribes to and calls', () => {
  it.each(services)('%s has a NATS user whose permissions cover its handlers and calls', (service) => {
    const use = NATS_USERS[service];
    expect(use).toBeDefined();
    const missing = usesOf(service)
      // A call through a helper (the gateway's `rpc.call(caller…)`) names no subject here; the gateway may call every RPC.
      .filter((u) => u.subject !== undefined || u.kind !== 'calls')
      .filter((u) => !u.subject || !use![u.kind].some((p) => subjectMatches(p, u.subject!)))
      .map((u) => `${u.kind} ${u.subject ?? `(cannot resolve ${u.expression})`}`);
    expect(missing).toEqual([]);
  });
});
