// Hand-written subsets of the CRD OpenAPI schemas (prometheus-operator v0.8x, KEDA v2.1x) for the
// fields Order Hub uses; strict (additionalProperties false) so a typo fails validation.
const fs = require('fs');
const str = { type: 'string' },
  int = { type: 'integer' },
  bool = { type: 'boolean' };
const strMap = { type: 'object', additionalProperties: str };
const obj = (properties, required = [], extra = {}) => ({ type: 'object', properties, required, additionalProperties: false, ...extra });
const meta = obj({ name: str, namespace: str, labels: strMap, annotations: strMap }, ['name']);
const labelSelector = obj({
  matchLabels: strMap,
  matchExpressions: {
    type: 'array',
    items: obj({ key: str, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: str } }, [
      'key',
      'operator',
    ]),
  },
});
const duration = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const top = (apiVersion, kind, spec, requiredSpec = true) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  description: `${apiVersion} ${kind}: subset of the CRD schema, vendored for offline kubeconform (see k8s/schemas/README.md)`,
  ...obj({ apiVersion: { enum: [apiVersion] }, kind: { enum: [kind] }, metadata: meta, spec }, [
    'apiVersion',
    'kind',
    'metadata',
    ...(requiredSpec ? ['spec'] : []),
  ]),
});
const relabel = obj({
  action: str,
  sourceLabels: { type: 'array', items: str },
  separator: str,
  targetLabel: str,
  regex: str,
  replacement: str,
  modulus: int,
});
const endpoint = obj({
  port: str,
  targetPort: { oneOf: [str, int] },
  path: str,
  scheme: { enum: ['http', 'https'] },
  interval: duration,
  scrapeTimeout: duration,
  honorLabels: bool,
  honorTimestamps: bool,
  params: { type: 'object', additionalProperties: { type: 'array', items: str } },
  relabelings: { type: 'array', items: relabel },
  metricRelabelings: { type: 'array', items: relabel },
});
const serviceMonitor = top(
  'monitoring.coreos.com/v1',
  'ServiceMonitor',
  obj(
    {
      selector: labelSelector,
      endpoints: { type: 'array', minItems: 1, items: endpoint },
      jobLabel: str,
      namespaceSelector: obj({ any: bool, matchNames: { type: 'array', items: str } }),
      targetLabels: { type: 'array', items: str },
      podTargetLabels: { type: 'array', items: str },
      sampleLimit: int,
    },
    ['selector', 'endpoints'],
  ),
);
const rule = {
  type: 'object',
  properties: {
    alert: str,
    record: str,
    expr: { oneOf: [str, int] },
    for: duration,
    keep_firing_for: duration,
    labels: strMap,
    annotations: strMap,
  },
  required: ['expr'],
  additionalProperties: false,
  oneOf: [{ required: ['alert'] }, { required: ['record'] }],
};
const prometheusRule = top(
  'monitoring.coreos.com/v1',
  'PrometheusRule',
  obj({
    groups: {
      type: 'array',
      items: obj(
        {
          name: { type: 'string', minLength: 1 },
          interval: duration,
          limit: int,
          partial_response_strategy: str,
          labels: strMap,
          rules: { type: 'array', items: rule },
        },
        ['name', 'rules'],
      ),
    },
  }),
);
const trigger = obj(
  {
    type: { type: 'string', minLength: 1 },
    name: str,
    metadata: strMap,
    metricType: { enum: ['AverageValue', 'Value', 'Utilization'] },
    useCachedMetrics: bool,
    authenticationRef: obj({ name: str, kind: str }, ['name']),
  },
  ['type', 'metadata'],
);
const hpaBehavior = { type: 'object' }; // autoscaling/v2 HPABehavior, validated by the API server
const scaledObject = top(
  'keda.sh/v1alpha1',
  'ScaledObject',
  obj(
    {
      scaleTargetRef: obj({ apiVersion: str, kind: str, name: { type: 'string', minLength: 1 }, envSourceContainerName: str }, ['name']),
      pollingInterval: int,
      cooldownPeriod: int,
      initialCooldownPeriod: int,
      idleReplicaCount: int,
      minReplicaCount: int,
      maxReplicaCount: int,
      fallback: obj({ failureThreshold: int, replicas: int }, ['failureThreshold', 'replicas']),
      advanced: obj({
        restoreToOriginalReplicaCount: bool,
        horizontalPodAutoscalerConfig: obj({ name: str, behavior: hpaBehavior }),
        scalingModifiers: { type: 'object' },
      }),
      triggers: { type: 'array', minItems: 1, items: trigger },
    },
    ['scaleTargetRef', 'triggers'],
  ),
);
fs.writeFileSync('monitoring.coreos.com/servicemonitor_v1.json', JSON.stringify(serviceMonitor, null, 1) + '\n');
fs.writeFileSync('monitoring.coreos.com/prometheusrule_v1.json', JSON.stringify(prometheusRule, null, 1) + '\n');
fs.writeFileSync('keda.sh/scaledobject_v1alpha1.json', JSON.stringify(scaledObject, null, 1) + '\n');
