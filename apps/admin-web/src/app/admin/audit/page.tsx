'use client';
import { AuditTable } from '../../../components/admin/audit-table';
import { useI18n } from '../../../lib/i18n';
import { ADMIN_MESSAGES } from '../../../lib/messages/admin';

export default function AuditPage() {
  const { t } = useI18n(ADMIN_MESSAGES);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-6">
      <h1 className="mb-4 text-2xl font-bold">{t('audit')}</h1>
      <AuditTable />
    </main>
  );
}
