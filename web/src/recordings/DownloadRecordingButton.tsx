import { useState } from 'react';
import { useClient } from 'urql';

import { classifyError } from '../api/errors';
import { useT } from '../i18n/useT';
import { Button } from '../ui/Button';
import { RecordingDownloadUrlQuery } from './operations';

/**
 * Downloads a recording: asks for a fresh download URL (an attachment, written to the
 * access log) and follows it. Render it only where `recordingSettings.viewerMayDownload`.
 */
export function DownloadRecordingButton({ recordingId, accessibleName }: { recordingId: string; accessibleName?: string }) {
  const t = useT();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    const result = await client.query(RecordingDownloadUrlQuery, { id: recordingId }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    const url = result.data?.recordingDownloadUrl.url;
    if (!url) {
      const kind = result.error ? classifyError(result.error).kind : 'unknown';
      setProblem(t(kind === 'forbidden' ? 'recordings.download.forbidden' : 'recordings.download.failed'));
      return;
    }
    const link = document.createElement('a');
    link.href = url;
    link.rel = 'noopener';
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
  };

  return (
    <>
      <Button onClick={() => void download()} busy={busy} aria-label={accessibleName}>
        {t('recordings.download')}
      </Button>
      {problem ? (
        <span role="alert" className="inline-problem">
          {problem}
        </span>
      ) : null}
    </>
  );
}
