import { useEffect, useState } from 'react';

import { useT } from '../../../i18n/useT';
import { listAudioDevices, type AudioDevices } from '../../../softphone/devices';
import type { Softphone, SoftphoneState } from '../../../softphone/softphone';

/** Microphone and speaker choice; the list refreshes when a headset comes or goes. */
export function DevicePicker({ softphone, state }: { softphone: Softphone; state: SoftphoneState }) {
  const t = useT();
  const [devices, setDevices] = useState<AudioDevices>({ microphones: [], speakers: [] });
  useEffect(() => {
    const load = () => void listAudioDevices().then(setDevices, () => undefined);
    load();
    const media = typeof navigator !== 'undefined' && 'mediaDevices' in navigator ? navigator.mediaDevices : null;
    media?.addEventListener('devicechange', load);
    return () => media?.removeEventListener('devicechange', load);
  }, [state.call?.phase]);
  return (
    <div className="agent-devices">
      <div className="field">
        <label className="field-label" htmlFor="agent-microphone">
          {t('agent.phone.microphone')}
        </label>
        <select
          id="agent-microphone"
          className="input"
          value={state.microphoneId ?? ''}
          onChange={(event) => void softphone.selectMicrophone(event.target.value || null)}
        >
          <option value="">{t('agent.phone.defaultDevice')}</option>
          {devices.microphones.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="agent-speaker">
          {t('agent.phone.speaker')}
        </label>
        <select
          id="agent-speaker"
          className="input"
          value={state.speakerId ?? ''}
          disabled={devices.speakers.length === 0}
          onChange={(event) => void softphone.selectSpeaker(event.target.value)}
        >
          <option value="">{t('agent.phone.defaultDevice')}</option>
          {devices.speakers.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
