'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useI18n } from '../../lib/i18n';
import { ADMIN_MESSAGES } from '../../lib/messages/admin';

/** Signed in (the layout's gate let us through): the console opens on the users list. */
export default function AdminHome() {
  const router = useRouter();
  const { t } = useI18n(ADMIN_MESSAGES);
  // Keep the query (`?lang=en`) across the hop.
  useEffect(() => router.replace(`${WEB_PAGES.adminUsers}${window.location.search}`), [router]);
  return (
    <main className="p-6" aria-busy="true">
      <h1 className="sr-only">{t('adminTitle')}</h1>
      <p>{t('loading')}</p>
    </main>
  );
}
