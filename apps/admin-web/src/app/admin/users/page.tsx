'use client';
import { UsersTable } from '../../../components/admin/users-table';
import { useI18n } from '../../../lib/i18n';
import { ADMIN_MESSAGES } from '../../../lib/messages/admin';

export default function UsersPage() {
  const { t } = useI18n(ADMIN_MESSAGES);
  return (
    <main className="mx-auto w-full max-w-6xl px-4 py-6">
      <h1 className="mb-4 text-2xl font-bold">{t('users')}</h1>
      <UsersTable />
    </main>
  );
}
