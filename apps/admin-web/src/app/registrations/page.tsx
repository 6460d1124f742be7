'use client';
import { PageShell } from '../../components/page-shell';
import { RegistrationStatus } from '../../components/registration-status';

/** `/registrations/?id=<userID>`: a static export has no per-user HTML, so the ID travels in the query. */
export default function RegistrationStatusPage() {
  return (
    <PageShell title="statusTitle">
      <RegistrationStatus />
    </PageShell>
  );
}
