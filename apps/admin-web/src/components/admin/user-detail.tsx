'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useAuth } from '../../lib/auth';
import { fieldMessage } from '../../lib/field-messages';
import { ApiError } from '../../lib/http';
import { useI18n } from '../../lib/i18n';
import { etagOf, type User } from '../../lib/users';
import { Field } from '../field';
import { useToast } from '../toasts';
import { Dialog } from './dialog';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

type Editable = Pick<User, 'name' | 'email' | 'phoneNumber'>;
const EDITABLE: readonly (keyof Editable)[] = ['name', 'email', 'phoneNumber'];

/** One user: every field, edit with If-Match (412 opens the conflict view), delete with confirmation + step-up. */
export function UserDetail() {
  const auth = useAuth();
  const { t, lang } = useI18n(ADMIN_MESSAGES);
  const toast = useToast();
  const router = useRouter();
  const client = useQueryClient();
  const [id, setId] = useState<string | null | undefined>(undefined);
  useEffect(() => setId(new URLSearchParams(window.location.search).get('id')), []);
  const user = useQuery({
    queryKey: ['user', id],
    enabled: Boolean(id),
    queryFn: async () => (await auth.call<User>(`/api/v1/users/${encodeURIComponent(id!)}`)).data,
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 1,
  });
  const [draft, setDraft] = useState<Editable | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof Editable, string>>>({});
  const [conflict, setConflict] = useState<{ mine: Editable; newer: User } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const isAdmin = auth.session?.role === 'admin';

  async function save(changes: Editable, base: User) {
    setBusy(true);
    setFieldErrors({});
    try {
      const patch = Object.fromEntries(EDITABLE.filter((k) => changes[k] !== base[k]).map((k) => [k, changes[k]]));
      const reply = await auth.call<User>(`/api/v1/users/${encodeURIComponent(base.userID)}`, {
        method: 'PATCH',
        body: patch,
        headers: { 'if-match': etagOf(base.version) },
      });
      client.setQueryData(['user', id], reply.data);
      setDraft(null);
      setConflict(null);
      toast(t('saved'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        const newer = (await auth.call<User>(`/api/v1/users/${encodeURIComponent(base.userID)}`)).data;
        client.setQueryData(['user', id], newer);
        setConflict({ mine: changes, newer });
      } else if (e instanceof ApiError && (e.status === 400 || e.status === 409)) {
        setFieldErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field, fieldMessage(lang, f.message)])));
      } else toast(t('networkError'), 'error');
    }
    setBusy(false);
  }

  async function remove(base: User) {
    setBusy(true);
    try {
      await auth.call(`/api/v1/users/${encodeURIComponent(base.userID)}`, {
        method: 'DELETE',
        headers: { 'if-match': etagOf(base.version) },
      });
      toast(t('deleted'));
      await client.invalidateQueries({ queryKey: ['users'] });
      router.push(WEB_PAGES.adminUsers);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) await user.refetch();
      toast(e instanceof ApiError && e.code === 'STEP_UP_REQUIRED' ? t('badCode') : t('serverError'), 'error');
    }
    setConfirmDelete(false);
    setBusy(false);
  }

  if (id === undefined) return <p aria-busy="true">{t('loading')}</p>;
  if (id === null || (user.error instanceof ApiError && user.error.status === 404))
    return <p role="alert">{t('notFound')}</p>;
  if (user.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (user.isError) {
    return (
      <div role="alert" className="flex items-center gap-2">
        <p>{t('networkError')}</p>
        <button type="button" className="rounded border px-3 py-1" onClick={() => void user.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  const u = user.data;
  const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '—');
  const rows: [string, string][] = [
    [t('name'), u.name],
    [t('email'), u.email],
    [t('phoneNumber'), u.phoneNumber],
    [t('nationalId'), u.nationalIdMasked ?? '—'],
    [t('status'), t(u.status)],
    [t('createdAt'), when(u.createdAt)],
    [t('confirmedAt'), when(u.confirmedAt)],
    [t('updatedAt'), when(u.updatedAt)],
    [t('version'), String(u.version)],
    ['userID', u.userID],
  ];
  return (
    <section className="flex flex-col gap-4">
      <Link href={WEB_PAGES.adminUsers} className="text-blue-800 underline">
        ← {t('back')}
      </Link>
      {!isAdmin ? <p className="rounded bg-slate-100 px-3 py-2">{t('maskedNote')}</p> : null}
      <dl data-testid="user-fields" className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[12rem_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-semibold">{k}</dt>
            <dd className="break-all" data-field={k}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {isAdmin && !draft && !conflict ? (
        <div className="flex gap-2">
          <button
            type="button"
            className="rounded bg-emerald-800 px-4 py-2 text-white"
            onClick={() => setDraft({ name: u.name, email: u.email, phoneNumber: u.phoneNumber })}
          >
            {t('edit')}
          </button>
          <button
            type="button"
            className="rounded bg-red-800 px-4 py-2 text-white"
            onClick={() => setConfirmDelete(true)}
          >
            {t('delete')}
          </button>
        </div>
      ) : null}
      {isAdmin && draft && !conflict ? (
        <form
          aria-label={t('edit')}
          className="flex max-w-lg flex-col gap-3"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (!busy) void save(draft, u);
          }}
        >
          {EDITABLE.map((k) => (
            <Field
              key={k}
              id={`edit-${k}`}
              label={t(k)}
              value={draft[k]}
              error={fieldErrors[k]}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
            />
          ))}
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className="rounded bg-emerald-800 px-4 py-2 text-white">
              {t('save')}
            </button>
            <button type="button" className="rounded border px-4 py-2" onClick={() => setDraft(null)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {conflict ? (
        <section
          role="alertdialog"
          aria-labelledby="conflict-title"
          data-testid="conflict"
          className="rounded border-2 border-amber-700 bg-amber-50 p-4"
        >
          <h2 id="conflict-title" className="text-lg font-semibold">
            {t('conflictTitle')}
          </h2>
          <p className="mb-2">{t('conflictIntro')}</p>
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col"> </th>
                <th scope="col">{t('newerVersion')}</th>
                <th scope="col">{t('yourChanges')}</th>
              </tr>
            </thead>
            <tbody>
              {EDITABLE.map((k) => (
                <tr key={k}>
                  <th scope="row">{t(k)}</th>
                  <td data-testid={`newer-${k}`}>{conflict.newer[k]}</td>
                  <td>{conflict.mine[k]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="mt-3 flex flex-wrap gap-2">
            <button
              type="button"
              disabled={busy}
              className="rounded bg-emerald-800 px-4 py-2 text-white"
              onClick={() => void save(conflict.mine, conflict.newer)}
            >
              {t('reapply')}
            </button>
            <button
              type="button"
              className="rounded border px-4 py-2"
              onClick={() => {
                setConflict(null);
                setDraft(null);
              }}
            >
              {t('discard')}
            </button>
          </div>
        </section>
      ) : null}
      {confirmDelete ? (
        <Dialog title={t('confirmDelete')} onCancel={() => setConfirmDelete(false)}>
          <p className="mb-3">
            {u.name} ({u.email})
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={busy}
              className="rounded bg-red-800 px-4 py-2 text-white"
              onClick={() => void remove(u)}
            >
              {t('delete')}
            </button>
            <button
              type="button"
              className="rounded border px-4 py-2"
              onClick={() => setConfirmDelete(false)}
              autoFocus
            >
              {t('cancel')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
