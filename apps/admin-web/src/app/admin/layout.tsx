'use client';
import type { ReactNode } from 'react';
import { AdminGate } from '../../components/admin/admin-gate';
import { QueryProviders } from '../../components/providers';
import { AuthProvider } from '../../lib/auth';

/** Every admin page shares one in-memory session (client-side navigation keeps it; a reload restores it). */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <QueryProviders>
      <AuthProvider>
        <AdminGate>{children}</AdminGate>
      </AuthProvider>
    </QueryProviders>
  );
}
