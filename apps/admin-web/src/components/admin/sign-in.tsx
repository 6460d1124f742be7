'use client';
import { AUTH_ROUTES } from '@scalefu/contracts/auth';
import { useState, type FormEvent } from 'react';
import { useAuth, type SessionData } from '../../lib/auth';
import { ApiError } from '../../lib/http';
import { useI18n } from '../../lib/i18n';
import { Field } from '../field';
import { PageShell } from '../page-shell';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

type Step =
  | { kind: 'password' }
  | { kind: 'mfa'; challengeToken: string }
  | { kind: 'enrol'; qrSvg: string; otpauthUri: string }
  | { kind: 'backup'; codes: string[]; accessToken: string };

/** Password, then a TOTP or backup code; an admin without a factor enrols one first (QR code, then backup codes). */
export function SignIn() {
  const auth = useAuth();
  const { t } = useI18n(ADMIN_MESSAGES);
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  function explain(e: unknown, wrong: string) {
    if (e instanceof ApiError && e.status === 429) setError(t('rateLimited', { s: e.retryAfter ?? 60 }));
    else if (e instanceof ApiError && (e.status === 401 || e.status === 400)) setError(wrong);
    else setError(t('networkError'));
  }

  async function startEnrolment(data: SessionData) {
    // The enrolment token opens only the enrol/activate routes: no session (and no console) until activation.
    auth.hold(data.accessToken);
    const reply = await auth.call<{ otpauthUri: string; qrSvg: string }>(AUTH_ROUTES.totpEnrol, { method: 'POST' });
    setStep({ kind: 'enrol', ...reply.data });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      if (step.kind === 'password') {
        const data = await auth.login(email, password);
        if (data.next === 'mfa' && data.challengeToken) setStep({ kind: 'mfa', challengeToken: data.challengeToken });
        else if (data.next === 'enrol') await startEnrolment(data);
        else auth.accept(data);
      } else if (step.kind === 'mfa') {
        auth.accept(await auth.verify(step.challengeToken, code.trim()));
      } else if (step.kind === 'enrol') {
        const reply = await auth.call<{ backupCodes: string[]; accessToken: string }>(AUTH_ROUTES.totpActivate, {
          method: 'POST',
          body: { code: code.trim() },
        });
        setStep({ kind: 'backup', codes: reply.data.backupCodes, accessToken: reply.data.accessToken });
      } else {
        auth.accept({ accessToken: step.accessToken }, 'admin');
      }
    } catch (e) {
      explain(e, step.kind === 'password' ? t('badCredentials') : t('badCode'));
    }
    setCode('');
    setBusy(false);
  }

  const secret = step.kind === 'enrol' ? new URL(step.otpauthUri).searchParams.get('secret') : null;
  return (
    <PageShell title={t(step.kind === 'enrol' || step.kind === 'backup' ? 'enrolTitle' : 'signIn')}>
      <form onSubmit={onSubmit} className="flex max-w-md flex-col gap-4" aria-label={t('signIn')}>
        {error ? (
          <p role="alert" data-testid="sign-in-error" className="rounded border border-red-700 bg-red-50 px-3 py-2">
            {error}
          </p>
        ) : null}
        {step.kind === 'password' ? (
          <>
            <Field
              id="admin-email"
              label={t('email')}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
            <Field
              id="admin-password"
              label={t('password')}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </>
        ) : null}
        {step.kind === 'enrol' ? (
          <>
            <p>{t('enrolIntro')}</p>
            {/* The server renders the QR as SVG; as an image it cannot run script (no innerHTML anywhere). */}
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(step.qrSvg)}`}
              alt={t('qrAlt')}
              width={200}
              height={200}
              data-testid="totp-qr"
              className="border border-slate-300 bg-white"
            />
            {secret ? (
              <p className="break-all text-sm">
                <code data-testid="totp-secret">{secret}</code>
              </p>
            ) : null}
          </>
        ) : null}
        {step.kind === 'mfa' || step.kind === 'enrol' ? (
          <Field
            id="admin-code"
            label={t('code')}
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
            autoFocus
          />
        ) : null}
        {step.kind === 'backup' ? (
          <>
            <p>{t('backupCodes')}</p>
            <ul data-testid="backup-codes" className="grid grid-cols-2 gap-1 font-mono">
              {step.codes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </>
        ) : null}
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-emerald-800 px-4 py-2 font-semibold text-white disabled:opacity-60"
        >
          {step.kind === 'password' ? t('signIn') : step.kind === 'backup' ? t('continue') : t('verify')}
        </button>
      </form>
    </PageShell>
  );
}
