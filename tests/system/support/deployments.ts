import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { ZodObject, ZodType } from 'zod';
import { REPO_ROOT } from '@orderhub/testkit';
import type { NetworkPolicy, Workload } from './network-policy';

/** Order Hub services: every `services/<name>` with a `src/config.ts`. */
export const serviceNames = (): string[] =>
  readdirSync(join(REPO_ROOT, 'services')).filter((name) => existsSync(join(REPO_ROOT, 'services', name, 'src', 'config.ts')));

/** The service's config schema: the `…ConfigSchema` zod object its `src/config.ts` exports. */
export function configSchema(service: string): ZodObject {
  const exported = require(join(REPO_ROOT, 'services', service, 'src', 'config.ts')) as Record<string, unknown>;
  const schema = Object.entries(exported).find(([name, value]) => name.endsWith('ConfigSchema') && value && 'shape' in (value as object));
  if (!schema) throw new Error(`services/${service}/src/config.ts exports no …ConfigSchema`);
  return schema[1] as ZodObject;
}

/** Bind addresses (where the service listens), not addresses it calls. */
const LISTEN_ADDRESSES = new Set(['HTTP_HOST', 'SMTP_HOST']);
const LOOPBACK = /^(127\.|localhost$|\[?::1\]?$)/;

export interface AddressSetting {
  key: string;
  /** Default from the schema; undefined when the setting has none. */
  fallback?: string;
  /** The service cannot work in a container without it: required, or its default is the container itself. */
  needed: boolean;
}

/** The settings that name another host: `…_URL`, and `…_HOST` (with `…_PORT`) that are not bind addresses. */
export function addressSettings(service: string): AddressSetting[] {
  const shape = configSchema(service).shape as Record<string, ZodType>;
  return Object.entries(shape)
    .filter(([key]) => /_(URL|HOST)$/.test(key) && !LISTEN_ADDRESSES.has(key))
    .flatMap(([key, schema]) => {
      const parsed = schema.safeParse(undefined);
      if (parsed.success && parsed.data === undefined) return []; // optional: a feature switched on by setting it
      const fallback = parsed.success ? String(parsed.data) : undefined;
      return [{ key, fallback, needed: fallback === undefined || hostsOf(key, fallback, {}).some((t) => LOOPBACK.test(t.host)) }];
    });
}

export interface Target {
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'nats:': 4222, 'mongodb:': 27017, 'http:': 80, 'https:': 443, 'smtp:': 25 };

/** Hosts and ports one address setting points at (`NATS_URL` may list several servers). */
export function hostsOf(key: string, value: string, env: Record<string, string | undefined>, schemaPort?: number): Target[] {
  if (key.endsWith('_HOST')) {
    const port = Number(env[key.replace(/_HOST$/, '_PORT')] ?? schemaPort);
    return [{ host: value, port }];
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      const url = new URL(v.includes('://') ? v : `nats://${v}`);
      return { host: url.hostname, port: url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0) };
    });
}

/** Default of a `…_PORT` sibling of a `…_HOST` setting. */
export function schemaDefault(service: string, key: string): number | undefined {
  const schema = (configSchema(service).shape as Record<string, ZodType | undefined>)[key];
  const parsed = schema?.safeParse(undefined);
  return parsed?.success && parsed.data !== undefined ? Number(parsed.data) : undefined;
}

// ---------------------------------------------------------------- docker-compose.yml

export interface ComposeService {
  name: string;
  workspace?: string;
  environment: Record<string, string>;
}

/** Compose services with their environment (merge keys applied, `${VAR:-default}` → default). */
export function composeServices(): ComposeService[] {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }).toJS({ maxAliasCount: 1000 }) as {
    services: Record<string, { build?: { args?: Record<string, string> }; environment?: Record<string, unknown> }>;
  };
  const interpolate = (v: unknown) => String(v).replace(/\$\{[A-Za-z0-9_]+(?::?-([^}]*))?\}/g, (_m, d: string | undefined) => d ?? '');
  return Object.entries(doc.services).map(([name, svc]) => ({
    name,
    workspace: svc.build?.args?.WORKSPACE,
    environment: Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, interpolate(v)])),
  }));
}

// ---------------------------------------------------------------- Kubernetes overlays

export const overlayNames = (): string[] => readdirSync(join(REPO_ROOT, 'k8s', 'overlays'));

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Container {
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
}

interface PodController extends K8sObject {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } } };
}

interface ServiceObject extends K8sObject {
  spec: { selector?: Record<string, string>; ports: { port: number; targetPort?: number | string }[] };
}

/** `kustomize build` of an overlay (the pinned kustomize from scripts/install-k8s-tools.sh). */
export function renderOverlay(overlay: string): K8sObject[] {
  const bin = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'install-k8s-tools.sh')], { encoding: 'utf8', cwd: REPO_ROOT }).trim();
  const yaml = execFileSync(join(bin, 'kustomize'), ['build', join(REPO_ROOT, 'k8s', 'overlays', overlay)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

/** What the rendered objects of one overlay say about its workloads, their env and their network. */
export class Overlay {
  readonly namespace: string;

  constructor(
    readonly name: string,
    private readonly objects: K8sObject[],
  ) {
    this.namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name ?? objects[0]?.metadata.namespace ?? 'default';
  }

  static render(name: string): Overlay {
    return new Overlay(name, renderOverlay(name));
  }

  get policies(): NetworkPolicy[] {
    return this.objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicy[];
  }

  private controllers(): PodController[] {
    return this.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as PodController[];
  }

  workload(name: string): Workload | undefined {
    const c = this.controllers().find((o) => o.metadata.name === name);
    if (!c) return undefined;
    const ports = Object.fromEntries(
      c.spec.template.spec.containers.flatMap((ct) => (ct.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort])),
    );
    return { name, namespace: this.namespace, labels: c.spec.template.metadata.labels, ports };
  }

  /**
   * The first container's environment: literal values, ConfigMap values and Secret values the overlay
   * generates; `null` for a variable taken from a Secret created outside the overlay (set, value unknown).
   */
  env(name: string): Record<string, string | null> {
    const c = this.controllers().find((o) => o.metadata.name === name);
    if (!c) return {};
    const container = c.spec.template.spec.containers[0]!;
    const data = (kind: 'ConfigMap' | 'Secret', ref: string): Record<string, string> | undefined => {
      const o = this.objects.find((x) => x.kind === kind && x.metadata.name === ref) as { data?: Record<string, string> } | undefined;
      if (!o) return undefined;
      const entries = Object.entries(o.data ?? {});
      return Object.fromEntries(kind === 'Secret' ? entries.map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]) : entries);
    };
    const env: Record<string, string | null> = {};
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef) Object.assign(env, data('ConfigMap', from.configMapRef.name) ?? {});
      if (from.secretRef) Object.assign(env, data('Secret', from.secretRef.name) ?? {});
    }
    for (const e of container.env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value;
      else if (e.valueFrom?.configMapKeyRef)
        env[e.name] = data('ConfigMap', e.valueFrom.configMapKeyRef.name)?.[e.valueFrom.configMapKeyRef.key] ?? null;
      else if (e.valueFrom?.secretKeyRef) {
        const secret = data('Secret', e.valueFrom.secretKeyRef.name);
        env[e.name] = secret ? (secret[e.valueFrom.secretKeyRef.key] ?? null) : null;
      } else env[e.name] = null;
    }
    return env;
  }

  /** The pod and container port a host name and port reach in this overlay, if it is one of its Services. */
  resolve(host: string, port: number): { pod: Workload; port: number } | undefined {
    const [first, ns] = host.split('.');
    if (ns !== undefined && ns !== this.namespace) return undefined;
    const svc = this.objects.find((o) => o.kind === 'Service' && o.metadata.name === first) as ServiceObject | undefined;
    const servicePort = svc?.spec.ports.find((p) => p.port === port);
    if (!svc || !servicePort) return undefined;
    const controller = this.controllers().find((c) =>
      Object.entries(svc.spec.selector ?? {}).every(([k, v]) => c.spec.template.metadata.labels[k] === v),
    );
    const pod = controller && this.workload(controller.metadata.name);
    if (!pod) return undefined;
    const target = servicePort.targetPort ?? port;
    const containerPort = typeof target === 'string' ? pod.ports[target] : target;
    return containerPort === undefined ? undefined : { pod, port: containerPort };
  }
}
