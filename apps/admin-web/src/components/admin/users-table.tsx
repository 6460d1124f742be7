'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAuth } from '../../lib/auth';
import { ApiError } from '../../lib/http';
import { useI18n } from '../../lib/i18n';
import { SORTS, listPath, listQueryString, readListQuery, type ListQuery, type UserPage } from '../../lib/users';
import { useToast } from '../toasts';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

const ROW_HEIGHT = 44;
const DEBOUNCE_MS = 300;

/** The users list: server-side search, filter and sort; keyset pages loaded as the list scrolls; rows virtualised. */
export function UsersTable() {
  const auth = useAuth();
  const { t } = useI18n(ADMIN_MESSAGES);
  const toast = useToast();
  const [query, setQuery] = useState<ListQuery | null>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const initial = readListQuery(window.location.search);
    setQuery(initial);
    setTyped(initial.q);
  }, []);
  // Debounced search: one request per pause in typing, not per key.
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q && q.q !== typed ? { ...q, q: typed } : q)), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => {
    if (!query) return;
    // The view's parameters, and the language choice the i18n provider keeps in the same query string.
    const url = new URL(`${window.location.pathname}${listQueryString(query)}`, window.location.origin);
    const lang = new URLSearchParams(window.location.search).get('lang');
    if (lang) url.searchParams.set('lang', lang);
    window.history.replaceState(window.history.state, '', url);
  }, [query]);

  const list = useInfiniteQuery({
    queryKey: ['users', query],
    enabled: query !== null,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => (await auth.call<UserPage>(listPath(query!, pageParam), { signal })).data,
    getNextPageParam: (last) => last.page.nextCursor,
    // A view left behind is dropped at once: returning to it loads page one, not a refetch of every page it had.
    gcTime: 0,
  });
  const forbidden = list.error instanceof ApiError && list.error.status === 403;
  useEffect(() => {
    // A toast for failures the person can retry (network, server); a refusal is shown in place.
    if (list.isError && !(list.error instanceof ApiError && list.error.status >= 400 && list.error.status < 500))
      toast(t('networkError'), 'error');
  }, [list.isError, list.error, list.errorUpdatedAt, toast, t]);

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.users) ?? [], [list.data]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  useEffect(() => {
    scroller.current?.scrollTo(0, 0);
  }, [query]);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (!query) return <p aria-busy="true">{t('loading')}</p>;
  const columns = ['name', 'email', 'phoneNumber', 'status', 'createdAt'] as const;
  return (
    <section className="flex flex-col gap-3">
      <div role="search" className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col">
          <label htmlFor="user-search">{t('search')}</label>
          <input
            id="user-search"
            type="search"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="rounded border border-slate-400 px-3 py-2"
          />
        </div>
        <div className="flex flex-col">
          <label htmlFor="status-filter">{t('statusFilter')}</label>
          <select
            id="status-filter"
            value={query.status}
            onChange={(e) => setQuery({ ...query, status: e.target.value as ListQuery['status'] })}
            className="rounded border border-slate-400 px-3 py-2"
          >
            <option value="">{t('all')}</option>
            <option value="CREATED">{t('CREATED')}</option>
            <option value="CONFIRMED">{t('CONFIRMED')}</option>
          </select>
        </div>
        <div className="flex flex-col">
          <label htmlFor="sort">{t('sort')}</label>
          <select
            id="sort"
            value={query.sort}
            onChange={(e) => setQuery({ ...query, sort: e.target.value })}
            className="rounded border border-slate-400 px-3 py-2"
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <p
          role="status"
          data-testid="row-count"
          data-rows={rows.length}
          data-complete={String(!hasNextPage && list.isSuccess)}
        >
          {t('rowsLoaded', { n: rows.length })}
          {list.isSuccess && !hasNextPage ? ` · ${t('rowsAll')}` : ''}
        </p>
      </div>
      {list.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {list.isError && rows.length === 0 ? (
        <div role="alert" className="flex items-center gap-2">
          <p>{forbidden ? t('forbidden') : t('networkError')}</p>
          <button type="button" className="rounded border px-3 py-1" onClick={() => void list.refetch()}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      {list.isSuccess && rows.length === 0 ? <p data-testid="empty">{t('empty')}</p> : null}
      {/* Always mounted: the virtualizer keeps watching one scroll element across views (and its reset to the top). */}
      <div
        ref={scroller}
        role="table"
        aria-label={t('users')}
        aria-rowcount={hasNextPage ? -1 : rows.length + 1}
        data-testid="users-scroller"
        className="h-[60vh] overflow-auto text-sm"
      >
        <div role="rowgroup" className="sticky top-0 z-10 bg-slate-50">
          <div
            role="row"
            aria-rowindex={1}
            className="grid grid-cols-[2fr_2fr_1fr] gap-2 border-b-2 border-slate-400 px-2 py-2 font-semibold sm:grid-cols-[2fr_2fr_1.2fr_1fr_1.4fr]"
          >
            {columns.map((c, i) => (
              <span key={c} role="columnheader" className={i >= 2 ? 'hidden sm:block' : ''}>
                {c === 'status' ? t('status') : c === 'createdAt' ? t('createdAt') : t(c)}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const user = rows[item.index]!;
            return (
              <div
                key={user.userID}
                role="row"
                aria-rowindex={item.index + 2}
                data-testid="user-row"
                className="absolute left-0 grid w-full grid-cols-[2fr_2fr_1fr] items-center gap-2 border-b border-slate-200 px-2 sm:grid-cols-[2fr_2fr_1.2fr_1fr_1.4fr]"
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell" className="truncate">
                  <Link className="text-blue-800 underline" href={`${WEB_PAGES.adminUser}?id=${user.userID}`}>
                    {user.name}
                  </Link>
                </span>
                <span role="cell" className="truncate" data-testid="user-email">
                  {user.email}
                </span>
                <span role="cell" className="hidden truncate sm:block">
                  {user.phoneNumber}
                </span>
                <span role="cell" className="hidden sm:block">
                  {t(user.status)}
                </span>
                <span role="cell" className="hidden truncate sm:block">
                  {new Date(user.createdAt).toLocaleString()}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {isFetchingNextPage ? <p aria-busy="true">{t('loading')}</p> : null}
    </section>
  );
}
