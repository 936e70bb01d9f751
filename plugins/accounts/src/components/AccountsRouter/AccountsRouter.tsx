import { Route, Routes } from 'react-router-dom';
import { AccountPage } from '../AccountPage';
import { AccountsPage } from '../AccountsPage';

/** The pages under /accounts: the list, and one account by name. */
export function AccountsRouter() {
  return (
    <Routes>
      <Route path="/" element={<AccountsPage />} />
      <Route path="/:name" element={<AccountPage />} />
    </Routes>
  );
}
