/**
 * The ring: a North-American ring cadence (440 + 480 Hz, 2 s on, 4 s off) made with Web
 * Audio, so no sound file ships; and a browser notification when the tab is hidden.
 */
export function startRinging(): () => void {
  const Context = window.AudioContext as typeof AudioContext | undefined;
  if (!Context) return () => undefined;
  const context = new Context();
  const gain = context.createGain();
  gain.gain.value = 0;
  gain.connect(context.destination);
  const tones = [440, 480].map((frequency) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    return oscillator;
  });
  const ring = () => {
    const now = context.currentTime;
    gain.gain.setValueAtTime(0.08, now);
    gain.gain.setValueAtTime(0, now + 2);
  };
  ring();
  const timer = window.setInterval(ring, 6000);
  return () => {
    window.clearInterval(timer);
    for (const tone of tones) tone.stop();
    void context.close();
  };
}

/** Shows a notification if the tab is hidden and the agent allowed them; returns a closer. */
export function notifyHidden(title: string, body: string): () => void {
  if (typeof Notification === 'undefined' || !document.hidden || Notification.permission !== 'granted') return () => undefined;
  const notification = new Notification(title, { body, tag: 'hotline-offer', requireInteraction: true });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
  return () => notification.close();
}
