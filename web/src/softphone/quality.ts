/** Call quality and media counters, read from `RTCPeerConnection.getStats()`. */

export type QualityGrade = 'good' | 'fair' | 'poor';

export interface CallQuality {
  /** Packets lost / expected on what we receive, in percent. */
  lossPercent: number;
  jitterMs: number;
  /** Round trip to rtpengine (RTCP or the ICE pair); null before the first measure. */
  rttMs: number | null;
  packetsReceived: number;
  packetsSent: number;
  /** "connected" when every DTLS transport is (a listen leg has one per party). */
  dtls: string | null;
  codec: string | null;
  grade: QualityGrade;
}

type Report = Record<string, unknown> & { type: string };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Thresholds of a G.711 call that people still find fine (ITU-T G.114/G.107 rules of thumb). */
export function gradeOf(lossPercent: number, jitterMs: number, rttMs: number | null): QualityGrade {
  const rtt = rttMs ?? 0;
  if (lossPercent > 5 || jitterMs > 60 || rtt > 400) return 'poor';
  if (lossPercent > 1 || jitterMs > 30 || rtt > 250) return 'fair';
  return 'good';
}

/** Reduces a stats report (any iterable of RTCStats) to what the softphone shows. */
export function readQuality(reports: Iterable<Report>): CallQuality {
  let lost = 0;
  let received = 0;
  let sent = 0;
  let jitter = 0;
  let rtt: number | null = null;
  let pairRtt: number | null = null;
  let codec: string | null = null;
  const transports: string[] = [];
  for (const r of reports) {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') {
      lost += Math.max(0, num(r.packetsLost));
      received += num(r.packetsReceived);
      jitter = Math.max(jitter, num(r.jitter));
    } else if (r.type === 'outbound-rtp' && r.kind === 'audio') {
      sent += num(r.packetsSent);
    } else if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') {
      rtt = Math.max(rtt ?? 0, r.roundTripTime);
    } else if (r.type === 'candidate-pair' && r.nominated === true && typeof r.currentRoundTripTime === 'number') {
      pairRtt = r.currentRoundTripTime;
    } else if (r.type === 'transport' && typeof r.dtlsState === 'string') {
      transports.push(r.dtlsState);
    } else if (r.type === 'codec' && codec === null && typeof r.mimeType === 'string') {
      codec = r.mimeType;
    }
  }
  const expected = lost + received;
  const lossPercent = expected > 0 ? (100 * lost) / expected : 0;
  const jitterMs = jitter * 1000;
  const seconds = rtt ?? pairRtt;
  const rttMs = seconds === null ? null : seconds * 1000;
  const dtls = transports.find((s) => s !== 'connected') ?? (transports.length ? 'connected' : null);
  return {
    lossPercent,
    jitterMs,
    rttMs,
    packetsReceived: received,
    packetsSent: sent,
    dtls,
    codec,
    grade: gradeOf(lossPercent, jitterMs, rttMs),
  };
}

export async function connectionQuality(connection: RTCPeerConnection): Promise<CallQuality> {
  const stats = await connection.getStats();
  return readQuality(stats.values() as Iterable<Report>);
}
