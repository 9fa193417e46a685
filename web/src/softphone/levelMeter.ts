/** A microphone level (0..1, RMS of the waveform) read about ten times a second. */
export function startLevelMeter(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const Context = window.AudioContext as typeof AudioContext | undefined;
  if (!Context || stream.getAudioTracks().length === 0) return () => undefined;
  const context = new Context();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = window.setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 100);
  return () => {
    window.clearInterval(timer);
    source.disconnect();
    void context.close();
  };
}
