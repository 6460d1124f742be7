'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ToastProvider } from './toasts';

/**
 * TanStack Query (and the toasts of its failures) for the pages that hold server state: the status page and the
 * admin console. Not in the root layout: `/register` has one POST and no cache, and its JavaScript budget
 * (ADR 0111) has no room for a query client.
 */
export function QueryProviders({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 5000 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
