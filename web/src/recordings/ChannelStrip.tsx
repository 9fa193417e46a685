import { useId } from 'react';

import { useT } from '../i18n/useT';
import { Button } from '../ui/Button';
import type { Side } from './channelGraph';

interface ChannelStripProps {
  side: Side;
  level: number;
  muted: boolean;
  pan: number;
  onMute: (muted: boolean) => void;
  onPan: (pan: number) => void;
}

/** One party's channel: its live level, a mute toggle and where it sits left to right. */
export function ChannelStrip({ side, level, muted, pan, onMute, onPan }: ChannelStripProps) {
  const t = useT();
  const id = useId();
  const name = t(side === 'caller' ? 'recordings.player.caller' : 'recordings.player.agent');
  return (
    <fieldset className={`channel-strip channel-${side}`} data-side={side}>
      <legend>{name}</legend>
      <label htmlFor={`${id}-level`}>{t('recordings.player.level', { side: name })}</label>
      <meter id={`${id}-level`} className="channel-meter" min={0} max={1} low={0.02} high={0.7} value={level} />
      <Button aria-pressed={muted} onClick={() => onMute(!muted)}>
        {t(muted ? 'recordings.player.unmute' : 'recordings.player.mute', { side: name })}
      </Button>
      <label htmlFor={`${id}-pan`}>{t('recordings.player.pan', { side: name })}</label>
      <input
        id={`${id}-pan`}
        type="range"
        min={-1}
        max={1}
        step={0.1}
        value={pan}
        aria-valuetext={t('recordings.player.panValue', { pan: Math.round(pan * 100) })}
        onChange={(event) => onPan(Number(event.target.value))}
      />
    </fieldset>
  );
}
