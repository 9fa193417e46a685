import { useCallback, useState } from 'react';

import { useSession } from '../../auth/session';
import { useT } from '../../i18n/useT';
import { useSoftphone } from '../../softphone/useSoftphone';
import { Button } from '../../ui/Button';
import { PageHeader } from '../../ui/PageHeader';
import { CustomerCard } from './customer/CustomerCard';
import { DesktopNotice } from './desktop/DesktopNotice';
import { useShortcuts, type ShortcutAction } from './desktop/shortcuts';
import { ShortcutsHelp } from './desktop/ShortcutsHelp';
import { useCallOffers } from './desktop/useCallOffers';
import { useDesktop } from './desktop/useDesktop';
import { callerLine, SoftphonePanel } from './phone/SoftphonePanel';
import { useRinging } from './phone/useRinging';
import { PresencePanel } from './presence/PresencePanel';
import { usePresence } from './presence/usePresence';
import { MyTickets } from './tickets/MyTickets';
import { TicketFromCall } from './tickets/TicketFromCall';
import { WorkListsPanel } from './worklists/WorkListsPanel';
import { WrapUpPanel } from './wrapup/WrapUpPanel';
import './agent.css';

/**
 * The agent desktop: presence and softphone on the left, the caller's card and tickets on
 * the right; wrap-up (./wrapup/) under the softphone, the work lists (./worklists/) under
 * my tickets.
 */
export default function AgentPage() {
  const t = useT();
  const { user } = useSession();
  const presence = usePresence();
  const desktop = useDesktop(user.id);
  const { softphone } = desktop;
  const phone = useSoftphone(softphone);
  const offer = useCallOffers(desktop.lock === 'held');
  const [help, setHelp] = useState(false);
  const [ticketsVersion, setTicketsVersion] = useState(0);
  const call = phone.call;
  const ringing = call?.phase === 'ringing';
  useRinging(ringing, t('agent.phone.ringingTitle'), callerLine(phone, offer, t('agent.phone.unknownNumber')));

  const { setState, breakReasons } = presence;
  const run = useCallback(
    (action: ShortcutAction) => {
      if (action === 'answer') void softphone.answer();
      else if (action === 'hangUp') softphone.hangUp();
      else if (action === 'hold') softphone.toggleHold();
      else if (action === 'mute') softphone.toggleMute();
      else if (action === 'ready') setState('available');
      else if (action === 'notReady') setState(breakReasons[0] ? `break:${breakReasons[0]}` : 'offline');
      else setHelp((open) => !open);
    },
    [softphone, setState, breakReasons],
  );
  useShortcuts(run);

  const pop = offer?.screenPop ?? null;
  return (
    <section className="page agent-desktop">
      <PageHeader
        title={t('agent.title')}
        actions={
          <Button variant="ghost" aria-keyshortcuts="?" onClick={() => setHelp(true)}>
            {t('agent.shortcuts.open')}
          </Button>
        }
      />
      <DesktopNotice lock={desktop.lock} onTakeOver={desktop.takeOver} />
      <div className="agent-grid">
        <div className="agent-column">
          <PresencePanel presence={presence} />
          <SoftphonePanel softphone={softphone} state={phone} offer={offer} />
          <WrapUpPanel />
        </div>
        <div className="agent-column agent-column-wide">
          {pop ? <CustomerCard key={offer?.callId} pop={pop} queueName={offer?.queue.name ?? null} /> : null}
          <TicketFromCall
            key={offer?.callId ?? 'no-call'}
            callId={offer?.callId ?? null}
            number={pop?.number ?? offer?.from ?? null}
            customerId={pop?.customer?.id ?? null}
            onCreated={() => setTicketsVersion((v) => v + 1)}
          />
          <MyTickets key={ticketsVersion} />
          <WorkListsPanel />
        </div>
      </div>
      <ShortcutsHelp isOpen={help} onClose={() => setHelp(false)} />
    </section>
  );
}
