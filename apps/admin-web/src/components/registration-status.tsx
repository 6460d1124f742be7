'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, apiCall } from '../lib/http';
import { useI18n } from '../lib/i18n';
import { STATUS_MESSAGES } from '../lib/messages/status';

const STEPS = ['ACCEPTED', 'CREATED', 'CONFIRMED'] as const;
const TERMINAL = new Set(['CONFIRMED', 'DUPLICATE', 'REJECTED']);
type Status = (typeof STEPS)[number] | 'DUPLICATE' | 'REJECTED';

/** Poll delay after the n-th answer: 400 ms growing by half each time, at most 5 s (the pipeline's p99 is 1 s). */
export function pollDelay(answers: number): number {
  return Math.min(5000, Math.round(400 * 1.5 ** answers));
}

export function RegistrationStatus() {
  const { t } = useI18n(STATUS_MESSAGES);
  const [id, setId] = useState<string | null | undefined>(undefined);
  useEffect(() => setId(new URLSearchParams(window.location.search).get('id')), []);
  const query = useQuery({
    queryKey: ['registration', id],
    enabled: Boolean(id),
    queryFn: async () =>
      (await apiCall<{ registrationStatus: Status }>('api', `/api/v1/registrations/${encodeURIComponent(id!)}`)).data,
    refetchInterval: (q) =>
      q.state.data && TERMINAL.has(q.state.data.registrationStatus) ? false : pollDelay(q.state.dataUpdateCount),
    retry: (failures, error) => !(error instanceof ApiError && error.status === 404) || failures < 3,
    retryDelay: (failures) => pollDelay(failures),
  });

  if (id === undefined) return <p>{t('loading')}</p>;
  if (id === null) return <p role="alert">{t('statusMissingId')}</p>;
  if (query.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div role="alert" className="flex flex-col items-start gap-2">
        <p>{notFound ? t('statusNotFound') : t('networkError')}</p>
        <button type="button" className="rounded border px-3 py-1" onClick={() => void query.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  const status = query.data.registrationStatus;
  const reached = STEPS.indexOf(status as (typeof STEPS)[number]);
  return (
    <section aria-labelledby="status-now" className="flex flex-col gap-4">
      <p>
        {t('memberId')}: <code className="break-all">{id}</code>
      </p>
      <p
        id="status-now"
        data-testid="registration-status"
        data-status={status}
        aria-live="polite"
        className="text-xl font-semibold"
      >
        {t(status)}
      </p>
      {status === 'DUPLICATE' || status === 'REJECTED' ? (
        <p role="alert" className="rounded border border-amber-700 bg-amber-50 px-3 py-2">
          {t(status)}
        </p>
      ) : (
        <ol className="flex flex-col gap-2 sm:flex-row sm:gap-6" aria-label={t('statusTitle')}>
          {STEPS.map((step, i) => (
            <li
              key={step}
              aria-current={i === reached ? 'step' : undefined}
              className={i <= reached ? 'font-semibold text-emerald-900' : 'text-slate-600'}
            >
              {i <= reached ? '✓ ' : '○ '}
              {t(step)}
            </li>
          ))}
        </ol>
      )}
      <p>{status === 'CONFIRMED' ? t('confirmedDone') : TERMINAL.has(status) ? null : t('stillWorking')}</p>
    </section>
  );
}
