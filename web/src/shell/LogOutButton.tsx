import { useNavigate } from 'react-router';
import { useMutation } from 'urql';

import { useResetApi } from '../api/ApiProvider';
import { graphql } from '../gql';
import { useLocaleControl } from '../i18n/LocaleProvider';
import { useT } from '../i18n/useT';
import { Button } from '../ui/Button';

const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

/**
 * Ends the session on the server (which clears the cookies and refuses the token from then
 * on), goes to the log-in page, then drops everything cached. Even if the server cannot
 * be reached, the page forgets the session's data.
 */
export function LogOutButton() {
  const t = useT();
  const navigate = useNavigate();
  const resetApi = useResetApi();
  const { bindSession } = useLocaleControl();
  const [state, logOut] = useMutation(LogOutMutation);
  return (
    <Button
      variant="secondary"
      className="btn-small"
      busy={state.fetching}
      onClick={async () => {
        await logOut({}, { authOptional: true });
        // Leave the private page first: a fresh client re-running its queries there would
        // meet UNAUTHENTICATED and send the user to /login?next=<that page> instead.
        await navigate('/login', { replace: true });
        bindSession(null);
        resetApi();
      }}
    >
      {t('shell.logOut')}
    </Button>
  );
}
