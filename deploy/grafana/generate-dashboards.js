#!/usr/bin/env node
'use strict';
/**
 * Writes k8s/components/monitoring/dashboards/*.json (committed; the k8s monitoring component
 * turns them into ConfigMaps, and docker-compose's Grafana mounts the same folder: kustomize only
 * reads files inside a component's folder). Edit panels here and rerun: `node deploy/grafana/generate-dashboards.js`.
 * Every metric used must be listed in deploy/metrics-used.txt (service metrics) or
 * deploy/metrics-external.txt (exporter/Prometheus metrics).
 */
const fs = require('node:fs');
const path = require('node:path');

const DS = { type: 'prometheus', uid: '${datasource}' };
let nextId = 1;
function panel(title, targets, { unit = 'short', w = 12, h = 8, type = 'timeseries', description } = {}) {
  return {
    id: nextId++,
    type,
    title,
    ...(description ? { description } : {}),
    datasource: DS,
    gridPos: { w, h, x: 0, y: 0 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'timeseries' ? { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } } : {},
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), datasource: DS, expr, legendFormat })),
  };
}
function layout(panels) {
  let x = 0;
  let y = 0;
  let rowH = 0;
  for (const p of panels) {
    if (x + p.gridPos.w > 24) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    p.gridPos.x = x;
    p.gridPos.y = y;
    x += p.gridPos.w;
    rowH = Math.max(rowH, p.gridPos.h);
  }
  return panels;
}
function dashboard(uid, title, panels, extraVars = []) {
  nextId = 1;
  return {
    uid,
    title,
    tags: ['orderhub'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', current: { text: 'Prometheus', value: 'prometheus' }, hide: 0 },
        ...extraVars,
      ],
    },
    panels: layout(panels),
  };
}

const IMPORT = 'subject=~".*channel\\\\.order\\\\.import.*"';

function overview() {
  return dashboard('orderhub-overview', 'Order Hub / Overview', [
    panel('Orders in per channel (imports/s)', [['sum by (channel) (rate(orderhub_orders_imports_total[5m]))', '{{channel}}']], { unit: 'ops' }),
    panel('Orders in by outcome', [['sum by (outcome) (rate(orderhub_orders_imports_total[5m]))', '{{outcome}}']], { unit: 'ops' }),
    panel('Orders submitted by connectors/s', [['sum by (connector) (rate(orderhub_connector_orders_submitted_total[5m]))', '{{connector}}']], { unit: 'ops' }),
    panel('Orders out: write-backs to channels/s', [['sum by (connector, action) (rate(orderhub_connector_write_backs_total[5m]))', '{{connector}} {{action}}']], { unit: 'ops' }),
    panel('Events published/s', [['sum by (service, subject) (rate(orderhub_messages_published_total[5m]))', '{{service}} {{subject}}']], { unit: 'ops' }),
    panel('Import latency p95 (handler) and outbox publish p95', [
      [`histogram_quantile(0.95, sum by (le) (rate(orderhub_message_handler_duration_seconds_bucket{${IMPORT}}[5m])))`, 'import handler p95'],
      ['histogram_quantile(0.95, sum by (le, aggregate) (rate(orderhub_outbox_publish_latency_seconds_bucket[5m])))', 'outbox→JetStream p95 {{aggregate}}'],
    ], { unit: 's', description: 'End-to-end latency of an order: connector poll → import handler → outbox event published.' }),
    panel('Handler errors/s (retry, dead_lettered, problems)', [['sum by (service, subject, outcome) (rate(orderhub_message_handler_duration_seconds_count{outcome!="ok"}[5m]))', '{{service}} {{subject}} {{outcome}}']], { unit: 'ops' }),
    panel('Poll errors/s', [['sum by (connector) (rate(orderhub_connector_poll_errors_total[5m]))', '{{connector}}']], { unit: 'ops' }),
    panel('JetStream consumer lag (pending)', [['sum by (stream_name, consumer_name) (jetstream_consumer_num_pending)', '{{stream_name}} / {{consumer_name}}']], { unit: 'short' }),
    panel('Outbox backlog', [['max by (service) (orderhub_outbox_pending_documents)', '{{service}}']], { unit: 'short' }),
    panel('Dead-lettered messages (1h)', [['sum by (service, subject, reason) (increase(orderhub_dead_lettered_messages_total[1h]))', '{{service}} {{subject}} {{reason}}']], { unit: 'short' }),
    panel('Mail: received / forwarded / forward failures', [
      ['sum by (outcome) (rate(orderhub_mail_received_total[5m]))', 'received {{outcome}}'],
      ['sum(rate(orderhub_mail_forwarded_total[5m]))', 'forwarded'],
      ['sum by (reason) (rate(orderhub_mail_forward_failures_total[5m]))', 'forward failed {{reason}}'],
      ['sum by (outcome) (rate(orderhub_mail_processed_total[5m]))', 'processed {{outcome}}'],
      ['sum by (status) (rate(orderhub_import_csv_rows_total[5m]))', 'csv rows {{status}}'],
    ], { unit: 'ops', w: 24 }),
  ]);
}

function connector(name, title) {
  const sel = `connector="${name}"`;
  const svc = `service="${name}"`;
  return dashboard(`orderhub-${name}`, `Order Hub / Connector / ${title}`, [
    // Connections are not metric labels (unbounded): which connection fails is the connection health API's answer.
    panel('Seconds since last successful poll (any connection)', [[`time() - max (orderhub_connector_last_successful_poll_timestamp_seconds{${sel}})`, 'since last success']], { unit: 's' }),
    panel('Failing connections, longest failure', [
      [`max (orderhub_connector_failing_connections{${sel}})`, 'failing connections'],
      [`max (orderhub_connector_longest_failure_seconds{${sel}})`, 'longest failure (s)'],
    ]),
    panel('Polls/s by outcome', [[`sum by (outcome) (rate(orderhub_connector_poll_duration_seconds_count{${sel}}[5m]))`, '{{outcome}}']], { unit: 'ops' }),
    panel('Poll duration p50 / p95', [
      [`histogram_quantile(0.5, sum by (le) (rate(orderhub_connector_poll_duration_seconds_bucket{${sel}}[5m])))`, 'p50'],
      [`histogram_quantile(0.95, sum by (le) (rate(orderhub_connector_poll_duration_seconds_bucket{${sel}}[5m])))`, 'p95'],
    ], { unit: 's' }),
    panel('Poll errors/s', [[`sum(rate(orderhub_connector_poll_errors_total{${sel}}[5m]))`, 'errors']], { unit: 'ops' }),
    panel('API latency p95 by endpoint and status', [[`histogram_quantile(0.95, sum by (le, endpoint, status) (rate(orderhub_http_client_request_duration_seconds_bucket{${svc}}[5m])))`, '{{endpoint}} {{status}}']], { unit: 's' }),
    panel('API requests/s by status', [[`sum by (status) (rate(orderhub_http_client_request_duration_seconds_count{${svc}}[5m]))`, '{{status}}']], { unit: 'reqps' }),
    panel('Circuit breaker state (0 closed, 1 half-open, 2 open)', [[`max by (breaker) (orderhub_circuit_breaker_state{${svc}})`, '{{breaker}}']], { unit: 'short' }),
    panel('Circuit breaker events/s', [[`sum by (breaker, event) (rate(orderhub_circuit_breaker_events_total{${svc}}[5m]))`, '{{breaker}} {{event}}']], { unit: 'ops' }),
    panel('Orders submitted/s', [[`sum(rate(orderhub_connector_orders_submitted_total{${sel}}[5m]))`, 'submitted']], { unit: 'ops' }),
    panel('Write-backs/s', [[`sum by (action, outcome) (rate(orderhub_connector_write_backs_total{${sel}}[5m]))`, '{{action}} {{outcome}}']], { unit: 'ops' }),
    panel('Leases held per replica', [[`sum by (instance) (orderhub_connector_leases_held{${sel}})`, '{{instance}}']], { unit: 'short' }),
    panel('Dead-lettered (1h)', [[`sum by (subject, reason) (increase(orderhub_dead_lettered_messages_total{${svc}}[1h]))`, '{{subject}} {{reason}}']], { unit: 'short' }),
  ]);
}

function runtime() {
  const svcVar = {
    name: 'service',
    type: 'query',
    datasource: DS,
    query: 'label_values(process_resident_memory_bytes, service)',
    includeAll: true,
    multi: true,
    current: { text: 'All', value: '$__all' },
    refresh: 2,
  };
  const s = 'service=~"$service"';
  return dashboard('orderhub-runtime', 'Order Hub / Node.js runtime', [
    panel('Event loop lag (mean) and p99', [
      [`max by (service, instance) (nodejs_eventloop_lag_seconds{${s}})`, '{{service}} {{instance}}'],
      [`max by (service, instance) (nodejs_eventloop_lag_p99_seconds{${s}})`, 'p99 {{service}} {{instance}}'],
    ], { unit: 's' }),
    panel('RSS', [[`max by (service, instance) (process_resident_memory_bytes{${s}})`, '{{service}} {{instance}}']], { unit: 'bytes' }),
    panel('Heap used / total', [
      [`max by (service, instance) (nodejs_heap_size_used_bytes{${s}})`, 'used {{service}} {{instance}}'],
      [`max by (service, instance) (nodejs_heap_size_total_bytes{${s}})`, 'total {{service}} {{instance}}'],
    ], { unit: 'bytes' }),
    panel('GC time/s by kind', [[`sum by (service, kind) (rate(nodejs_gc_duration_seconds_sum{${s}}[5m]))`, '{{service}} {{kind}}']], { unit: 's' }),
    panel('CPU', [[`sum by (service, instance) (rate(process_cpu_seconds_total{${s}}[5m]))`, '{{service}} {{instance}}']], { unit: 'percentunit' }),
    panel('Active handles', [[`max by (service, instance) (nodejs_active_handles_total{${s}})`, '{{service}} {{instance}}']], { unit: 'short' }),
  ], [svcVar]);
}

const out = path.join(__dirname, '..', '..', 'k8s', 'components', 'monitoring', 'dashboards');
fs.mkdirSync(out, { recursive: true });
const all = {
  'orderhub-overview.json': overview(),
  'orderhub-channel-otto.json': connector('channel-otto', 'OTTO Market'),
  'orderhub-channel-serverspot.json': connector('channel-serverspot', 'Custom shop (serverspot)'),
  'orderhub-fulfillment-wemalo.json': connector('fulfillment-wemalo', 'Wemalo fulfilment'),
  'orderhub-mail-ingest.json': connector('mail-ingest', 'Mail ingest'),
  'orderhub-runtime.json': runtime(),
};
for (const [file, d] of Object.entries(all)) fs.writeFileSync(path.join(out, file), JSON.stringify(d, null, 2) + '\n');

// Metric names used by dashboards and alerts, for deploy/metrics-used.txt.
const alerts = fs.readFileSync(path.join(__dirname, '..', 'prometheus', 'alerts.yml'), 'utf8');
const text = JSON.stringify(all) + alerts;
const names = new Set();
for (const m of text.matchAll(/\b((?:orderhub|nodejs|process|jetstream)_[a-z0-9_]+)/g)) {
  names.add(m[1].replace(/_(bucket|sum|count)$/, (s) => (/(seconds|duration)_?$/.test(m[1].slice(0, -s.length)) || /latency/.test(m[1]) ? '' : s)));
}
const external = [...names].filter((n) => n.startsWith('jetstream_')).sort();
const used = [...names].filter((n) => !n.startsWith('jetstream_')).sort();
fs.writeFileSync(path.join(__dirname, '..', 'metrics-used.txt'), used.join('\n') + '\n');
fs.writeFileSync(path.join(__dirname, '..', 'metrics-external.txt'), ['up', ...external].join('\n') + '\n');
console.log(`dashboards: ${Object.keys(all).join(', ')}\nmetrics-used: ${used.length}, external: ${external.length + 1}`);
