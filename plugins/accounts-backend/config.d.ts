export interface Config {
  /** Configuration of the Fleet Portal accounts plugin. */
  accounts?: {
    /**
     * Seed a demo fleet of about a dozen accounts into an empty registry on
     * start-up (the embedded defaults). Off unless set.
     */
    demoData?: boolean;
    /**
     * Where accounts.json is written after every registry change.
     */
    export?: {
      /**
       * A local folder (the embedded default), relative to the backend's
       * working directory. accounts.json is written into it atomically.
       */
      folder?: string;
    };
    /**
     * The environments accounts are deployed to (e.g. staging, production).
     * The registry refuses accounts naming an environment not listed here.
     */
    environments?: Array<{
      /** Name of the environment, e.g. `staging`. */
      name: string;
      /** Regions accounts of this environment can live in. */
      regions?: string[];
      /** Clusters accounts of this environment can be deployed to. */
      clusters?: Array<{
        /** Name of the cluster. */
        name: string;
        /** Region the cluster runs in. */
        region?: string;
      }>;
    }>;
  };
}
