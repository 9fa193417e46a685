import { BrowserRouter } from 'react-router';

import { ApiProvider } from '../api/ApiProvider';
import { LocaleProvider } from '../i18n/LocaleProvider';
import { AppRoutes } from './routes';

export function App() {
  return (
    <BrowserRouter>
      <LocaleProvider>
        <ApiProvider>
          <AppRoutes />
        </ApiProvider>
      </LocaleProvider>
    </BrowserRouter>
  );
}
