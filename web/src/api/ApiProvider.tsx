import { createContext, use, useCallback, useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Provider } from 'urql';

import { isPublicPath, loginPath } from '../auth/paths';
import { createApiClient, type ApiClient } from './client';

const ResetContext = createContext<() => void>(() => {});

/**
 * Starts a fresh GraphQL client (an empty cache, a closed WebSocket). Call it after a
 * log-in, a sign-up and a log-out, so one session's data never shows in the next.
 */
export function useResetApi(): () => void {
  return use(ResetContext);
}

/** Fired on window when an answer says the session is gone (api/client.ts). */
export const UNAUTHENTICATED_EVENT = 'hotline:unauthenticated';

const announce = () => window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));

/** The app's GraphQL client; UNAUTHENTICATED on a private page sends the user to log in. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const [api, setApi] = useState<ApiClient>(() => createApiClient(announce));

  const reset = useCallback(() => {
    setApi((old) => {
      old.dispose();
      return createApiClient(announce);
    });
  }, []);

  useEffect(() => () => api.dispose(), [api]);

  return (
    <ResetContext value={reset}>
      <Provider value={api.client}>
        <LogInOnUnauthenticated />
        {children}
      </Provider>
    </ResetContext>
  );
}

/** Sends the user to /login?next=<this page> when the session ends (expired, logged out). */
function LogInOnUnauthenticated() {
  const navigate = useNavigate();
  const { pathname, search, hash } = useLocation();
  useEffect(() => {
    const toLogIn = () => {
      if (!isPublicPath(pathname)) void navigate(loginPath(`${pathname}${search}${hash}`), { replace: true });
    };
    window.addEventListener(UNAUTHENTICATED_EVENT, toLogIn);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, toLogIn);
  }, [navigate, pathname, search, hash]);
  return null;
}
