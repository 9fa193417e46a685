import { createContext, use, useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useQuery } from 'urql';

import { classifyError } from '../api/errors';
import { graphql } from '../gql';
import { useLocaleControl } from '../i18n/LocaleProvider';
import { Loading } from '../ui/Loading';
import { QueryProblem } from '../ui/QueryProblem';
import { loginPath } from './paths';
import { parseRole, type Role } from './roles';

export const SessionQuery = graphql(`
  query Session {
    me {
      id
      email
      role
      displayName
    }
    tenant {
      id
      slug
      name
      createdAt
    }
    # The tenant's time zone: dates and times in the console follow it.
    reportTimeZone
  }
`);

export interface Session {
  user: { id: string; email: string; role: Role; displayName: string };
  tenant: { id: string; slug: string; name: string; createdAt: string; timeZone: string };
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user and tenant; only inside RequireSession. */
export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside RequireSession');
  return session;
}

/** Provides a session to tests and to RequireSession. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const { bindSession } = useLocaleControl();
  useEffect(() => {
    bindSession(session.user.id, session.tenant.timeZone);
  }, [bindSession, session.user.id, session.tenant.timeZone]);
  return <SessionContext value={session}>{children}</SessionContext>;
}

/**
 * The gate of every private page: reads who is signed in (the cookie goes with the
 * request) and sends anyone else to log in, keeping the page to come back to.
 */
export function RequireSession() {
  const location = useLocation();
  const [result, reexecute] = useQuery({ query: SessionQuery });
  const here = `${location.pathname}${location.search}${location.hash}`;

  if (result.error && !result.data?.me) {
    if (classifyError(result.error).kind === 'unauthenticated') {
      return <Navigate to={loginPath(here)} replace />;
    }
    return (
      <main id="main" className="center-page">
        <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} />
      </main>
    );
  }
  if (!result.data) return <Loading />;
  const { me, tenant, reportTimeZone } = result.data;
  // An API key has no user; the console is for people.
  if (!me) return <Navigate to={loginPath(here)} replace />;

  const session: Session = {
    user: { id: me.id, email: me.email, role: parseRole(me.role), displayName: me.displayName },
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: tenant.createdAt, timeZone: reportTimeZone },
  };
  return (
    <SessionProvider session={session}>
      <Outlet />
    </SessionProvider>
  );
}
