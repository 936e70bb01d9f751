import { Route, Routes } from 'react-router-dom';
import { AccountPage } from '../AccountPage';
import { AccountsPage } from '../AccountsPage';
import { CreateAccountPage } from '../CreateAccountPage';

/**
 * The pages under /accounts: the list, the create form, and one account by
 * name. `new` is matched before `:name`, so an account named `new` would not
 * be reachable here.
 */
export function AccountsRouter() {
  return (
    <Routes>
      <Route path="/" element={<AccountsPage />} />
      <Route path="/new" element={<CreateAccountPage />} />
      <Route path="/:name" element={<AccountPage />} />
    </Routes>
  );
}
