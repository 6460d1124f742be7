'use client';
import { AUTH_ROUTES } from '@scalefu/contracts/auth';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useAuth } from '../../lib/auth';
import { ApiError } from '../../lib/http';
import { useI18n } from '../../lib/i18n';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

interface AuditEvent {
  readonly id: number;
  readonly at: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly actorId?: string;
  readonly target?: string;
}
interface AuditPage {
  readonly events: AuditEvent[];
  readonly page: { readonly nextCursor: string | null };
}

/** The audit trail (admin only), newest first, a page at a time. */
export function AuditTable() {
  const auth = useAuth();
  const { t } = useI18n(ADMIN_MESSAGES);
  const audit = useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      (await auth.call<AuditPage>(`${AUTH_ROUTES.audit}?limit=50${pageParam ? `&cursor=${pageParam}` : ''}`)).data,
    getNextPageParam: (last) => last.page.nextCursor,
  });
  if (auth.session?.role !== 'admin' || (audit.error instanceof ApiError && audit.error.status === 403)) {
    return <p role="alert">{t('forbidden')}</p>;
  }
  if (audit.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (audit.isError) {
    return (
      <div role="alert" className="flex items-center gap-2">
        <p>{t('networkError')}</p>
        <button type="button" className="rounded border px-3 py-1" onClick={() => void audit.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  const events = audit.data.pages.flatMap((p) => p.events);
  if (events.length === 0) return <p>{t('empty')}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <caption className="sr-only">{t('audit')}</caption>
        <thead>
          <tr className="border-b-2 border-slate-400">
            <th scope="col">{t('at')}</th>
            <th scope="col">{t('action')}</th>
            <th scope="col">{t('outcome')}</th>
            <th scope="col">{t('actor')}</th>
            <th scope="col">{t('target')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-b border-slate-200">
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.action}</td>
              <td>{e.outcome}</td>
              <td className="break-all">{e.actorId ?? '—'}</td>
              <td className="break-all">{e.target ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.hasNextPage ? (
        <button
          type="button"
          className="mt-3 rounded border px-3 py-1"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {t('loadMore')}
        </button>
      ) : null}
    </div>
  );
}
