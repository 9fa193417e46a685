import { useEffect, useState } from 'react';
import { useClient } from 'urql';

import { CallOffersSubscription } from '../operations';
import type { Offer } from '../phone/SoftphonePanel';

/** The latest call routing offered this agent (the screen pop's source), while `active`. */
export function useCallOffers(active: boolean): Offer | null {
  const client = useClient();
  const [offer, setOffer] = useState<Offer | null>(null);
  useEffect(() => {
    if (!active) return;
    const subscription = client.subscription(CallOffersSubscription, {}).subscribe((result) => {
      if (result.data) setOffer(result.data.callOffers);
    });
    return () => subscription.unsubscribe();
  }, [client, active]);
  return offer;
}
