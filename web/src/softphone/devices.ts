/** Audio devices: the microphone the softphone captures and the speaker it plays to. */

export interface AudioDevice {
  deviceId: string;
  label: string;
}

export interface AudioDevices {
  microphones: AudioDevice[];
  speakers: AudioDevice[];
}

export async function listAudioDevices(): Promise<AudioDevices> {
  if (typeof navigator === 'undefined' || !('mediaDevices' in navigator)) {
    return { microphones: [], speakers: [] };
  }
  const all = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind: MediaDeviceKind) =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${kind} ${i + 1}` }));
  return { microphones: pick('audioinput'), speakers: pick('audiooutput') };
}

/** The microphone's audio (echo cancellation on: a headset call), optionally one device. */
export function openMicrophone(deviceId: string | null): Promise<MediaStream> {
  const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return navigator.mediaDevices.getUserMedia({ audio, video: false });
}

/** Where the far end's audio plays. */
export interface AudioSink {
  play: (stream: MediaStream | null) => void;
  /** Chooses the speaker (HTMLMediaElement.setSinkId); false where the browser cannot. */
  setSpeaker: (deviceId: string) => Promise<boolean>;
}

export function elementSink(element: HTMLAudioElement = new Audio()): AudioSink {
  element.autoplay = true;
  return {
    play(stream) {
      element.srcObject = stream;
      if (stream) void element.play().catch(() => undefined);
    },
    async setSpeaker(deviceId) {
      if (!('setSinkId' in element)) return false;
      await element.setSinkId(deviceId);
      return true;
    },
  };
}
