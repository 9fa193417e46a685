import { useEffect, useState } from 'react';

import { channelLevel, SIDES, type ChannelGraph, type Side } from './channelGraph';

const SILENT: Record<Side, number> = { caller: 0, agent: 0 };
const EVERY_MS = 100;

/** Each channel's level, sampled about ten times a second while `active`. */
export function useChannelLevels(graph: ChannelGraph | null, active: boolean): Record<Side, number> {
  const [levels, setLevels] = useState(SILENT);
  useEffect(() => {
    if (!graph || !active) return;
    const buffers = Object.fromEntries(
      SIDES.map((side) => [side, new Float32Array(graph.channels[side].analyser.fftSize)]),
    ) as Record<Side, Float32Array<ArrayBuffer>>;
    const timer = window.setInterval(() => {
      setLevels({
        caller: channelLevel(graph.channels.caller.analyser, buffers.caller),
        agent: channelLevel(graph.channels.agent.analyser, buffers.agent),
      });
    }, EVERY_MS);
    return () => window.clearInterval(timer);
  }, [graph, active]);
  return graph && active ? levels : SILENT;
}
