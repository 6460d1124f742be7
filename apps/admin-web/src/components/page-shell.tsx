'use client';
import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n';
import { LangSwitch } from './lang-switch';

/** Header with the language switch, one `main` landmark and the page's `h1` (`title`, already translated). */
export function PageShell({ title, children, nav }: { title: string; children: ReactNode; nav?: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-300 bg-white px-4 py-3">
        <a href="/" className="font-semibold text-emerald-900">
          {t('appName')}
        </a>
        <div className="flex flex-wrap items-center gap-2">
          {nav}
          <LangSwitch />
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl px-4 py-6">
        <h1 className="mb-4 text-2xl font-bold">{title}</h1>
        {children}
      </main>
    </>
  );
}
