'use client';
import { WEB_PAGES } from '@scalefu/contracts/routes';
import { PageShell } from '../components/page-shell';
import { useI18n } from '../lib/i18n';

export default function Home() {
  const { t } = useI18n();
  return (
    <PageShell title={t('appName')}>
      <ul className="flex flex-col gap-3">
        <li>
          <a className="text-blue-800 underline" href={WEB_PAGES.register}>
            {t('registerTitle')}
          </a>
        </li>
        <li>
          <a className="text-blue-800 underline" href={WEB_PAGES.admin}>
            {t('adminTitle')}
          </a>
        </li>
      </ul>
    </PageShell>
  );
}
