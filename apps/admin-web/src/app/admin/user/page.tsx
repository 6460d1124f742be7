'use client';
import { UserDetail } from '../../../components/admin/user-detail';
import { useI18n } from '../../../lib/i18n';
import { ADMIN_MESSAGES } from '../../../lib/messages/admin';

/** `/admin/user/?id=<userID>` (a static export has no page per user). */
export default function UserPage() {
  const { t } = useI18n(ADMIN_MESSAGES);
  return (
    <main className="mx-auto w-full max-w-4xl px-4 py-6">
      <h1 className="mb-4 text-2xl font-bold">{t('users')}</h1>
      <UserDetail />
    </main>
  );
}
