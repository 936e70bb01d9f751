export interface Config {
  /** Fleet Portal settings that belong to the backend as a whole. */
  fleetPortal?: {
    /**
     * The permission policy (packages/backend/src/permissions): who may
     * create, change and export accounts. Everyone signed in reads them.
     */
    policy?: {
      /**
       * Members of these groups may do everything with accounts.
       * Default: `['group:default/platform']`.
       */
      platformGroups?: string[];
      /**
       * Environments whose accounts only the platform groups may create or
       * change; everyone else may in the other environments.
       * Default: `['production']`.
       */
      protectedEnvironments?: string[];
    };
  };
}
