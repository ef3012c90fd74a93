import {
  Overlay,
  addressSettings,
  configSchema,
  composeServices,
  hostsOf,
  overlayNames,
  schemaDefault,
  serviceNames,
  type AddressSetting,
  type Target,
} from './support/deployments';
import { connectionAllowed, type Destination } from './support/network-policy';
import { natsPasswordVariable } from '@orderhub/testkit';

/**
 * The deployment runs what the tests run (issue 15): every address a service's config schema needs
 * is set in docker-compose.yml and in every overlay, and the calls those addresses describe ("who
 * calls whom") pass the overlay's NetworkPolicies; egress is limited as issue 16 asks.
 */

/** Where an address outside the overlay's own Services lands, for ipBlock rules. */
const PUBLIC_IP = '203.0.113.10'; // TEST-NET-3: "somewhere on the internet"
const CLUSTER_IP = '10.96.0.10'; // another namespace's Service, a node-local DNS cache, a cluster NATS
const METADATA_IP = '169.254.169.254';

function destination(overlay: Overlay, target: Target): Destination {
  return overlay.resolve(target.host, target.port) ?? { ip: /\.svc(\.|$)/.test(target.host) ? CLUSTER_IP : PUBLIC_IP, port: target.port };
}

function targetsOf(service: string, setting: AddressSetting, env: Record<string, string | null | undefined>): Target[] {
  const value = env[setting.key] ?? setting.fallback;
  if (!value) return [];
  const portKey = setting.key.replace(/_HOST$/, '_PORT');
  return hostsOf(setting.key, value, { [portKey]: env[portKey] ?? undefined }, schemaDefault(service, portKey));
}

const services = serviceNames();
const compose = composeServices();

describe('issue 15: every address a service needs is wired in docker-compose.yml', () => {
  it.each(services)('%s runs in docker-compose.yml with each address it needs set to a compose service', (service) => {
    const svc = compose.find((s) => s.workspace === `services/${service}` && s.environment.HTTP_PORT !== '0');
    expect(svc).toBeDefined();
    const problems: string[] = [];
    for (const setting of addressSettings(service)) {
      const value = svc!.environment[setting.key];
      if (setting.needed && !value) problems.push(`${setting.key} is not set (default ${setting.fallback ?? 'none'})`);
      for (const t of targetsOf(service, setting, svc!.environment)) {
        const peer = compose.find((s) => s.name === t.host);
        if (!peer) problems.push(`${setting.key}: ${t.host} is not a compose service`);
        else if (
          peer.workspace?.startsWith('services/') &&
          ![peer.environment.HTTP_PORT, peer.environment.SMTP_PORT].includes(String(t.port))
        ) {
          problems.push(`${setting.key}: ${t.host} does not listen on ${t.port}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('issue 16: in docker-compose.yml every service connects to NATS as its own user', () => {
  const nats = compose.find((s) => s.name === 'nats')!;
  it.each(services)('%s has NATS_USER and the password the NATS server has for it', (service) => {
    const svc = compose.find((s) => s.workspace === `services/${service}` && s.environment.HTTP_PORT !== '0')!;
    expect(svc.environment.NATS_USER).toBe(service);
    expect(svc.environment.NATS_PASSWORD).toBeTruthy();
    expect(nats.environment[natsPasswordVariable(service)]).toBe(svc.environment.NATS_PASSWORD);
  });
});

describe.each(overlayNames())('issue 15/16: overlay %s wires and admits what the code calls', (overlayName) => {
  let overlay: Overlay;
  beforeAll(() => {
    overlay = Overlay.render(overlayName);
  }, 120_000);

  it.each(services)('%s: each address it needs is set and its NetworkPolicies admit the call', (service) => {
    const pod = overlay.workload(service);
    expect(pod).toBeDefined();
    const env = overlay.env(service);
    const problems: string[] = [];
    for (const setting of addressSettings(service)) {
      if (setting.needed && !(setting.key in env)) problems.push(`${setting.key} is not set (default ${setting.fallback ?? 'none'})`);
      if (env[setting.key] === null) continue; // from a Secret made outside the overlay: the egress test below covers it
      for (const t of targetsOf(service, setting, env)) {
        const to = destination(overlay, t);
        if (!connectionAllowed(overlay.policies, pod!, to)) {
          problems.push(`${setting.key}: ${service} → ${t.host}:${t.port} is blocked by a NetworkPolicy`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(services)('%s connects to NATS as its own user (issue 16)', (service) => {
    const env = overlay.env(service);
    expect(env.NATS_USER).toBe(service);
    expect('NATS_PASSWORD' in env).toBe(true);
    // Where the overlay runs NATS itself, the server knows the same password.
    const nats = overlay.workload('nats') && overlay.env('nats');
    if (nats) expect(nats[natsPasswordVariable(service)]).toBe(env.NATS_PASSWORD);
  });

  it.each(services)('%s: egress only to DNS, NATS, its database, and (connectors) the internet on 443 (issue 16)', (service) => {
    const pod = overlay.workload(service)!;
    const reach = (ip: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP') =>
      connectionAllowed(overlay.policies, pod, { ip, port }, protocol);
    // Connectors (ConnectorConfigSchema) call channel and warehouse APIs; connections name the hosts.
    const connector = 'CONNECTION_IDS' in configSchema(service).shape;
    // The webhooks service delivers events to the URLs merchants subscribe.
    const callsInternet = connector || service === 'webhooks';
    const hasDatabase = addressSettings(service).some((s) => s.key === 'MONGO_URL');
    const forwardsMail = addressSettings(service).some((s) => s.key === 'FORWARD_SMTP_HOST');
    expect({
      dnsUdp: reach(CLUSTER_IP, 53, 'UDP'),
      dnsTcp: reach(CLUSTER_IP, 53),
      nats: reach(CLUSTER_IP, 4222),
      database: reach(CLUSTER_IP, 27017),
      internetHttps: reach(PUBLIC_IP, 443),
      privateHttps: reach(CLUSTER_IP, 443),
      metadataService: reach(METADATA_IP, 80),
      internetHttp: reach(PUBLIC_IP, 80),
      smtpSubmission: reach(PUBLIC_IP, 587),
    }).toEqual({
      dnsUdp: true,
      dnsTcp: true,
      nats: true,
      database: hasDatabase,
      internetHttps: callsInternet,
      privateHttps: false,
      metadataService: false,
      internetHttp: false,
      smtpSubmission: forwardsMail,
    });
  });
});
