'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useAuth } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { LangSwitch } from '../lang-switch';
import { SignIn } from './sign-in';
import { StepUpPrompt } from './step-up';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

/** Admin pages need a session: restore it from the refresh cookie, else show the sign-in in place. */
export function AdminGate({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const { t } = useI18n(ADMIN_MESSAGES);
  const pathname = usePathname();
  const { restore } = auth;
  useEffect(() => {
    void restore();
  }, [restore]);

  if (auth.restoring) {
    return (
      <main className="p-6" aria-busy="true">
        <p>{t('loading')}</p>
      </main>
    );
  }
  if (!auth.session) return <SignIn />;
  const link = (href: string, label: string) => (
    <Link
      href={href}
      aria-current={pathname === href || pathname === href.slice(0, -1) ? 'page' : undefined}
      className="rounded px-2 py-1 hover:bg-slate-100 aria-[current=page]:font-semibold aria-[current=page]:underline"
    >
      {label}
    </Link>
  );
  return (
    <>
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-300 bg-white px-4 py-3">
        <nav aria-label={t('adminTitle')} className="flex flex-wrap items-center gap-2">
          <span className="font-semibold text-emerald-900">{t('adminTitle')}</span>
          {link(WEB_PAGES.adminUsers, t('users'))}
          {auth.session.role === 'admin' ? link(WEB_PAGES.adminAudit, t('audit')) : null}
        </nav>
        <div className="flex flex-wrap items-center gap-2">
          <span data-testid="role" className="text-sm text-slate-700">
            {t('role')}: {auth.session.role}
          </span>
          <LangSwitch />
          <button
            type="button"
            className="rounded border border-slate-400 px-3 py-1 text-sm"
            onClick={() => void auth.signOut()}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      {children}
      <StepUpPrompt />
    </>
  );
}
