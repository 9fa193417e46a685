import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useClient, type CombinedError } from 'urql';

import { jssipUa } from '../../../softphone/jssipUa';
import { Softphone } from '../../../softphone/softphone';
import type { UaFactory } from '../../../softphone/sip';
import { ListenController, type ListenState } from './listenController';
import { ListenToCallMutation, StopListeningMutation, SupervisorSipCredentialsQuery } from './operations';

declare global {
  interface Window {
    /** The supervisor's listen softphone, for support diagnostics and browser tests (getStats). */
    hotlineListenPhone?: Softphone;
  }
}

function problem(error: CombinedError | undefined, fallback: string): Error {
  const message = error?.graphQLErrors[0]?.message ?? error?.message ?? fallback;
  return new Error(message);
}

/** The wallboard's listen-in: a listen-only softphone registered only while listening. */
export function useListen(ua: UaFactory = jssipUa): { controller: ListenController; state: ListenState } {
  const client = useClient();
  const controller = useMemo(() => {
    const softphone = new Softphone({
      ua,
      listenOnly: true,
      retryDelaysMs: [2000],
      credentials: async () => {
        const result = await client.query(SupervisorSipCredentialsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
        if (!result.data) throw problem(result.error, 'no SIP credentials');
        return result.data.sipCredentials;
      },
    });
    return new ListenController(softphone, {
      listen: async (callId) => {
        const result = await client.mutation(ListenToCallMutation, { callId }).toPromise();
        if (!result.data) throw problem(result.error, 'listen failed');
        return result.data.listenToCall.listenId;
      },
      stop: async (listenId) => {
        const result = await client.mutation(StopListeningMutation, { listenId }).toPromise();
        // NOT_FOUND: the leg is already gone (the call ended); nothing is left to stop.
        if (!result.data && result.error?.graphQLErrors[0]?.extensions.code !== 'NOT_FOUND') throw problem(result.error, 'stop failed');
      },
    });
  }, [client, ua]);
  useEffect(() => {
    window.hotlineListenPhone = controller.softphone;
    return () => {
      controller.dispose();
      if (window.hotlineListenPhone === controller.softphone) delete window.hotlineListenPhone;
    };
  }, [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  return { controller, state };
}
