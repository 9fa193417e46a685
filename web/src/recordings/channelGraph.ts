/**
 * The player's Web Audio graph: the `<audio>` element's stereo file split into its two
 * channels (the pipeline stores the caller on the left, the agent on the right), each with
 * an analyser (its level meter, measured before the mute so a muted side still shows it
 * speaks), a gain (mute) and a stereo panner, then mixed to the speakers.
 */

export type Side = 'caller' | 'agent';

export const SIDES: readonly Side[] = ['caller', 'agent'];

/** Where each side sits by default: apart, as in the file, but not hard left and right. */
export const DEFAULT_PAN: Record<Side, number> = { caller: -0.5, agent: 0.5 };

export interface ChannelNodes {
  analyser: AnalyserNode;
  gain: GainNode;
  panner: StereoPannerNode;
}

export interface ChannelGraph {
  context: AudioContext;
  channels: Record<Side, ChannelNodes>;
  close: () => Promise<void>;
}

export type AudioContextFactory = () => AudioContext;

export const browserAudioContext: AudioContextFactory = () => new AudioContext();

/** Routes `audio` through a split, metered, mutable and pannable graph. */
export function buildChannelGraph(audio: HTMLMediaElement, makeContext: AudioContextFactory = browserAudioContext): ChannelGraph {
  const context = makeContext();
  const source = context.createMediaElementSource(audio);
  const splitter = context.createChannelSplitter(2);
  source.connect(splitter);
  const channels = {} as Record<Side, ChannelNodes>;
  SIDES.forEach((side, index) => {
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    const gain = context.createGain();
    const panner = context.createStereoPanner();
    panner.pan.value = DEFAULT_PAN[side];
    splitter.connect(analyser, index);
    analyser.connect(gain);
    gain.connect(panner);
    panner.connect(context.destination);
    channels[side] = { analyser, gain, panner };
  });
  return { context, channels, close: () => context.close() };
}

/** Sets one side's mute and position on a running graph. */
export function setChannelMix(graph: ChannelGraph, side: Side, mix: { muted: boolean; pan: number }): void {
  graph.channels[side].gain.gain.value = mix.muted ? 0 : 1;
  graph.channels[side].panner.pan.value = mix.pan;
}

/** A channel's level now, 0 to 1: the RMS of its latest samples. */
export function channelLevel(analyser: AnalyserNode, buffer: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (const sample of buffer) sum += sample * sample;
  return Math.min(1, Math.sqrt(sum / Math.max(1, buffer.length)));
}
