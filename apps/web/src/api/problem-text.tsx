import { Alert, List } from '@mantine/core';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';
import { ApiError } from './client';

const KNOWN = new Set([401, 403, 404, 409, 413, 422, 429, 503]);

/**
 * The API's refusal in plain words: a sentence for the kind of refusal in the user's language, then
 * the API's own reason (it names the rule, e.g. OTTO-4) and the fields that were wrong.
 */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const status = problem?.status ?? -1;
  const headline =
    status === 0 ? t('problem.network') : KNOWN.has(status) ? t(`problem.${status}` as MessageKey) : (problem?.title ?? t('common.error'));
  return (
    <Alert color="red" title={title ?? t('order.refused')} role="alert" data-testid="problem">
      <div>{headline}</div>
      {problem?.detail && <div data-testid="problem-detail">{problem.detail}</div>}
      {problem?.ruleId && <div>{t('order.rule', { rule: problem.ruleId })}</div>}
      {problem?.errors && problem.errors.length > 0 && (
        <List size="sm">
          {problem.errors.map((e) => (
            <List.Item key={`${e.path}:${e.message}`}>
              {e.path}: {e.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
