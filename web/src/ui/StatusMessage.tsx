/** A polite live region: "Skill Billing created." is read out without moving focus. */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <p role="status" className={message ? 'status-message' : 'visually-hidden'}>
      {message ?? ''}
    </p>
  );
}
