import { useState } from 'react';

import type { AgentCallOffersSubscription } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import type { Softphone, SoftphoneState } from '../../../softphone/softphone';
import { formatDuration, useCallQuality, useCallTimer, useMicrophoneLevel } from '../../../softphone/useSoftphone';
import { Button } from '../../../ui/Button';
import { CallQualityReadout } from './CallQualityReadout';
import { DevicePicker } from './DevicePicker';
import { Keypad } from './Keypad';
import { NotificationsToggle } from './NotificationsToggle';

export type Offer = AgentCallOffersSubscription['callOffers'];

interface SoftphonePanelProps {
  softphone: Softphone;
  state: SoftphoneState;
  /** The routing offer behind the ringing call (queue, number, customer), if it came. */
  offer: Offer | null;
}

/** A caller as people read it: `sip:+1415…@carrier:5060` is `+1415…`. */
export function displayNumber(from: string): string {
  const match = /^sips?:([^@;]+)/i.exec(from);
  return match?.[1] ?? from;
}

/** Who is calling, in one line: the customer's name, else the number. */
export function callerLine(state: SoftphoneState, offer: Offer | null, unknown: string): string {
  const call = state.call;
  if (call?.callback) return call.callback.number;
  const name = offer?.screenPop?.customer?.name;
  const from = offer?.screenPop?.number ?? (offer?.from ? displayNumber(offer.from) : null);
  const number = from || call?.remote || unknown;
  return name ? `${name} (${number})` : number;
}

export function SoftphonePanel({ softphone, state, offer }: SoftphonePanelProps) {
  const t = useT();
  const call = state.call;
  const seconds = useCallTimer(call);
  const active = call?.phase === 'active';
  const level = useMicrophoneLevel(softphone, active && !call.muted);
  const quality = useCallQuality(softphone, active);
  const [keypad, setKeypad] = useState(false);
  const who = callerLine(state, offer, t('agent.phone.unknownNumber'));
  return (
    <section className="agent-panel" aria-labelledby="phone-heading">
      <h2 id="phone-heading">{t('agent.phone.title')}</h2>
      <p>
        {t('agent.phone.registration')}{' '}
        <strong data-testid="registration" className={`agent-reg agent-reg-${state.registration}`}>
          {t(`agent.phone.reg.${state.registration}`)}
        </strong>
      </p>
      <NotificationsToggle />
      {state.error && state.registration !== 'registered' ? <p className="field-error">{state.error}</p> : null}
      {call?.phase === 'ringing' || call?.phase === 'connecting' ? (
        <div className="agent-ringing" role="alert" aria-live="assertive">
          <p className="agent-caller">
            {call.callback ? t('agent.phone.callbackTo', { number: call.callback.number }) : t('agent.phone.incoming', { who })}
          </p>
          {offer && !call.callback ? <p>{t('agent.phone.viaQueue', { queue: offer.queue.name })}</p> : null}
          <div className="agent-call-actions">
            <Button variant="primary" busy={call.phase === 'connecting'} onClick={() => void softphone.answer()}>
              {t('agent.phone.answer')}
            </Button>
            <Button variant="danger" onClick={() => softphone.reject()}>
              {t('agent.phone.reject')}
            </Button>
          </div>
        </div>
      ) : null}
      {call?.phase === 'active' ? (
        <div className="agent-incall">
          <p className="agent-caller">
            {call.held ? t('agent.phone.onHoldWith', { who }) : t('agent.phone.talkingTo', { who })}{' '}
            <span role="timer" aria-label={t('agent.phone.timer')}>
              {formatDuration(seconds)}
            </span>
          </p>
          <div className="agent-call-actions">
            <Button aria-pressed={call.held} onClick={() => softphone.toggleHold()}>
              {call.held ? t('agent.phone.resume') : t('agent.phone.hold')}
            </Button>
            <Button aria-pressed={call.muted} onClick={() => softphone.toggleMute()}>
              {call.muted ? t('agent.phone.unmute') : t('agent.phone.mute')}
            </Button>
            <Button aria-expanded={keypad} onClick={() => setKeypad((open) => !open)}>
              {t('agent.phone.keypad')}
            </Button>
            <Button variant="danger" onClick={() => softphone.hangUp()}>
              {t('agent.phone.hangUp')}
            </Button>
          </div>
          {keypad ? <Keypad onTone={(tone) => softphone.sendDtmf(tone)} /> : null}
          <CallQualityReadout quality={quality} level={level} />
        </div>
      ) : null}
      {call?.phase === 'ended' ? (
        <p className="agent-ended" role="status">
          {t('agent.phone.ended', { who, duration: formatDuration(seconds) })}{' '}
          <Button variant="ghost" onClick={() => softphone.dismiss()}>
            {t('agent.phone.dismiss')}
          </Button>
        </p>
      ) : null}
      {!call ? <p className="agent-idle">{t('agent.phone.idle')}</p> : null}
      <details className="agent-devices-details">
        <summary>{t('agent.phone.devices')}</summary>
        <DevicePicker softphone={softphone} state={state} />
      </details>
    </section>
  );
}
