/**
 * "Call back" asks the softphone to dial: outbound calls arrive with the softphone, so the
 * work list does not dial itself. It dispatches `hotline:dial-request` on `window` with the
 * number and the task; the softphone listens (`onDialRequest`) and places the call.
 */
export const DIAL_REQUEST_EVENT = 'hotline:dial-request';

export interface DialRequest {
  number: string;
  /** The MissedCall (or other work item) the call is for. */
  taskId: string;
}

export function requestDial(request: DialRequest): void {
  window.dispatchEvent(new CustomEvent<DialRequest>(DIAL_REQUEST_EVENT, { detail: request }));
}

/** Subscribe to dial requests; returns the unsubscribe function. */
export function onDialRequest(handler: (request: DialRequest) => void): () => void {
  const listener = (event: Event) => handler((event as CustomEvent<DialRequest>).detail);
  window.addEventListener(DIAL_REQUEST_EVENT, listener);
  return () => window.removeEventListener(DIAL_REQUEST_EVENT, listener);
}
