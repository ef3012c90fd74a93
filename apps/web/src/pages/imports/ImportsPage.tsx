import { Alert, Badge, Button, Checkbox, FileInput, NativeSelect, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, authorizationHeader, call, type ImportJob, type ImportRow } from '../../api/client';
import { ProblemAlert } from '../../api/problem-text';
import { useApi } from '../../api/use-api';
import { useI18n } from '../../i18n/i18n';

const POLL_MS = 700;
const STATUS_COLOR = { error: 'red.9', duplicate: 'gray.7', imported: 'teal.9' } as const;

/** Streams the file to the gateway as the raw body (no multipart parsing needed; large exports stay streamed). */
async function upload(file: File, connectionId: string, skipDuplicates: boolean): Promise<{ jobId: string }> {
  const xlsx = /\.xlsx$/i.test(file.name);
  const query = new URLSearchParams({ connectionId, skipDuplicates: String(skipDuplicates) });
  const res = await fetch(`/api/v1/imports/csv?${query.toString()}`, {
    method: 'POST',
    headers: {
      ...authorizationHeader(),
      'Content-Type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
    },
    body: file,
  }).catch(() => undefined);
  if (!res) throw new ApiError({ type: 'about:blank', title: 'network', status: 0 });
  const body = (await res.json().catch(() => ({}))) as { jobId?: string; title?: string; detail?: string; type?: string };
  if (!res.ok || !body.jobId)
    throw new ApiError({ type: body.type ?? 'about:blank', title: body.title ?? res.statusText, status: res.status, detail: body.detail });
  return { jobId: body.jobId };
}

/** JIM-5: upload a Jimdo export, watch the job, then every row's result with errors first. */
export default function ImportsPage() {
  const { t } = useI18n();
  const connections = useApi(() => call(api.GET('/api/v1/connections', { params: { query: { type: 'jimdo' } } })), []);
  const jimdo = connections.data?.items ?? [];
  const [connectionId, setConnectionId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [skipDuplicates, setSkipDuplicates] = useState(true);
  const [error, setError] = useState<unknown>();
  const [job, setJob] = useState<ImportJob | undefined>();
  const [jobId, setJobId] = useState<string | undefined>();
  const [rows, setRows] = useState<ImportRow[]>([]);

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const tick = async () => {
      try {
        const current = await call(api.GET('/api/v1/imports/{jobId}', { params: { path: { jobId } } }));
        if (stopped) return;
        setJob(current);
        if (current.state === 'running') return void setTimeout(tick, POLL_MS);
        const [errors, others] = await Promise.all([
          call(api.GET('/api/v1/imports/{jobId}/rows', { params: { path: { jobId }, query: { status: 'error', limit: 500 } } })),
          call(api.GET('/api/v1/imports/{jobId}/rows', { params: { path: { jobId }, query: { limit: 500 } } })),
        ]);
        if (!stopped) setRows([...errors.items, ...others.items.filter((r) => r.status !== 'error')]);
      } catch (err) {
        if (!stopped) setError(err);
      }
    };
    void tick();
    return () => {
      stopped = true;
    };
  }, [jobId]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const target = connectionId || jimdo[0]?.id;
    if (!file || !target) return;
    setError(undefined);
    setJob(undefined);
    setRows([]);
    try {
      setJobId((await upload(file, target, skipDuplicates)).jobId);
    } catch (err) {
      setError(err);
    }
  }

  const total = job ? job.rows.imported + job.rows.duplicate + job.rows.error : 0;
  return (
    <Stack>
      <Title order={1}>{t('imports.title')}</Title>
      <Text>{t('imports.intro')}</Text>
      {connections.data && jimdo.length === 0 && <Alert color="yellow.9">{t('imports.noJimdo')}</Alert>}
      <form onSubmit={submit}>
        <Stack maw={520}>
          <NativeSelect
            label={t('imports.connection')}
            value={connectionId || jimdo[0]?.id || ''}
            onChange={(e) => setConnectionId(e.currentTarget.value)}
            data={jimdo.map((c) => ({ value: c.id, label: String(c.settings.name ?? c.id) }))}
            required
          />
          <FileInput
            label={t('imports.file')}
            accept=".csv,.xlsx,text/csv"
            value={file}
            onChange={setFile}
            required
            clearable
            data-testid="import-file"
          />
          <Checkbox
            label={t('imports.skipDuplicates')}
            checked={skipDuplicates}
            onChange={(e) => setSkipDuplicates(e.currentTarget.checked)}
          />
          <Button type="submit" disabled={!file || jimdo.length === 0} loading={job?.state === 'running'}>
            {t('imports.upload')}
          </Button>
        </Stack>
      </form>
      <ProblemAlert error={error} title={t('common.error')} />
      {job && (
        <Stack gap="xs" aria-live="polite" data-testid="import-job">
          <Progress
            value={job.state === 'running' ? 60 : 100}
            animated={job.state === 'running'}
            aria-label={job.state === 'running' ? t('imports.running', { rows: job.rowsProcessed }) : t('imports.completed')}
          />
          <Text fw={600}>
            {job.state === 'running' && t('imports.running', { rows: job.rowsProcessed })}
            {job.state === 'completed' && t('imports.completed')}
            {job.state === 'failed' && t('imports.failed', { reason: job.error ?? '' })}
          </Text>
          {total > 0 && <Text data-testid="import-counts">{t('imports.counts', job.rows)}</Text>}
        </Stack>
      )}
      {rows.length > 0 && (
        <Table data-testid="import-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('imports.row')}</Table.Th>
              <Table.Th scope="col">{t('imports.status')}</Table.Th>
              <Table.Th scope="col">{t('orders.number')}</Table.Th>
              <Table.Th scope="col">{t('imports.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.row} data-status={r.status}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td>
                  <Badge variant="filled" color={STATUS_COLOR[r.status]}>
                    {t(`imports.status.${r.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.orderNumber ?? ''}</Table.Td>
                <Table.Td>{r.reason ?? r.warning ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
