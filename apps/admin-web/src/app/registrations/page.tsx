'use client';
import { PageShell } from '../../components/page-shell';
import { QueryProviders } from '../../components/providers';
import { RegistrationStatus } from '../../components/registration-status';
import { useI18n } from '../../lib/i18n';
import { STATUS_MESSAGES } from '../../lib/messages/status';

/** `/registrations/?id=<userID>`: a static export has no per-user HTML, so the ID travels in the query. */
export default function RegistrationStatusPage() {
  const { t } = useI18n(STATUS_MESSAGES);
  return (
    <PageShell title={t('statusTitle')}>
      <QueryProviders>
        <RegistrationStatus />
      </QueryProviders>
    </PageShell>
  );
}
