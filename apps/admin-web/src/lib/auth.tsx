'use client';
import { AUTH_ROUTES } from '@scalefu/contracts/auth';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, apiCall, type ApiReply, type ApiRequest } from './http';

export type Role = 'admin' | 'viewer';

export interface Session {
  readonly role: Role;
}

/** What a sign-in step answers: `next` says what the page shows next. */
export interface SessionData {
  readonly next: 'mfa' | 'enrol' | 'done';
  readonly challengeToken?: string;
  readonly accessToken?: string;
  readonly role?: Role;
  readonly expiresIn: number;
}

interface Auth {
  readonly session: Session | null;
  /** True until the first silent refresh on page load has answered. */
  readonly restoring: boolean;
  /** Silent sign-in from the HttpOnly refresh cookie; resolves whether a session exists. */
  restore(): Promise<boolean>;
  login(email: string, password: string): Promise<SessionData>;
  verify(challengeToken: string, code: string): Promise<SessionData>;
  /** Called with the answer of a step that returned tokens (login, verify, activate): the session starts. */
  accept(data: { accessToken?: string; role?: Role }, role?: Role): void;
  /** Keep a token that only allows enrolment (an admin without a factor); no session yet. */
  hold(accessToken: string | undefined): void;
  /** A call to the admin API with the access token: refreshed and retried once on 401, stepped up when asked. */
  call<T>(path: string, request?: ApiRequest): Promise<ApiReply<T>>;
  signOut(): Promise<void>;
  /** The page registers how to ask the person for a fresh code (the step-up dialog). */
  setStepUpPrompt(prompt: (() => Promise<string | null>) | null): void;
}

const AuthContext = createContext<Auth | null>(null);

/**
 * The access token lives only in this closure (never in storage, never in the DOM); a reload or a new tab gets a
 * new one from the refresh cookie, which JavaScript cannot read (HttpOnly, on the admin API host).
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const token = useRef<string | undefined>(undefined);
  const refreshing = useRef<Promise<boolean> | null>(null);
  const stepUpPrompt = useRef<(() => Promise<string | null>) | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(true);

  const accept = useCallback((data: { accessToken?: string; role?: Role }, role?: Role) => {
    if (!data.accessToken) return;
    token.current = data.accessToken;
    const r = data.role ?? role;
    if (r) setSession({ role: r });
  }, []);

  const hold = useCallback((accessToken: string | undefined) => {
    token.current = accessToken;
  }, []);

  const clear = useCallback(() => {
    token.current = undefined;
    setSession(null);
  }, []);

  const refresh = useCallback((): Promise<boolean> => {
    // One refresh at a time: the cookie rotates, and a second concurrent refresh would present the old one (reuse).
    refreshing.current ??= apiCall<SessionData>('adminApi', AUTH_ROUTES.refresh, { method: 'POST', credentials: true })
      .then((reply) => {
        if (reply.data.next !== 'done' || !reply.data.accessToken) return false;
        accept(reply.data);
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing.current = null;
      });
    return refreshing.current;
  }, [accept]);

  const restore = useCallback(async () => {
    if (token.current) return true;
    const ok = await refresh();
    if (!ok) clear();
    setRestoring(false);
    return ok;
  }, [refresh, clear]);

  const send = useCallback(<T,>(path: string, request: ApiRequest) => {
    const headers = { ...request.headers, ...(token.current ? { authorization: `Bearer ${token.current}` } : {}) };
    return apiCall<T>('adminApi', path, { ...request, headers, credentials: true });
  }, []);

  const call = useCallback(
    async <T,>(
      path: string,
      request: ApiRequest = {},
      done = { refreshed: false, steppedUp: false },
    ): Promise<ApiReply<T>> => {
      try {
        return await send<T>(path, request);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 401) throw error;
        if (error.code === 'STEP_UP_REQUIRED') {
          if (done.steppedUp) throw error;
          const code = await stepUpPrompt.current?.();
          if (!code) throw error;
          const reply = await call<SessionData>(
            AUTH_ROUTES.stepUp,
            { method: 'POST', body: { code } },
            { ...done, steppedUp: true },
          );
          accept(reply.data);
          return await call<T>(path, request, { ...done, steppedUp: true });
        }
        // The access token expired mid-action: refresh once through the cookie and retry the same call once.
        if (done.refreshed) throw error;
        if (!(await refresh())) {
          clear();
          throw error;
        }
        return await call<T>(path, request, { ...done, refreshed: true });
      }
    },
    [send, refresh, accept, clear],
  );

  const login = useCallback(async (email: string, password: string) => {
    const reply = await apiCall<SessionData>('adminApi', AUTH_ROUTES.login, {
      method: 'POST',
      body: { email, password },
      credentials: true,
    });
    return reply.data;
  }, []);

  const verify = useCallback(async (challengeToken: string, code: string) => {
    const reply = await apiCall<SessionData>('adminApi', AUTH_ROUTES.mfaVerify, {
      method: 'POST',
      body: { challengeToken, code },
      credentials: true,
    });
    return reply.data;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiCall('adminApi', AUTH_ROUTES.logout, { method: 'POST', credentials: true });
    } catch {
      // Signed out locally either way; the family expires on its own.
    }
    clear();
  }, [clear]);

  const setStepUpPrompt = useCallback((prompt: (() => Promise<string | null>) | null) => {
    stepUpPrompt.current = prompt;
  }, []);

  const value = useMemo<Auth>(
    () => ({ session, restoring, restore, login, verify, accept, hold, call, signOut, setStepUpPrompt }),
    [session, restoring, restore, login, verify, accept, hold, call, signOut, setStepUpPrompt],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
