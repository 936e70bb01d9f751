import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import accountsPlugin from '@fleet-portal/plugin-accounts';
import releasesPlugin from '@fleet-portal/plugin-releases';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    accountsPlugin,
    releasesPlugin,
    navModule,
    signInModule,
    homeModule,
  ],
});
