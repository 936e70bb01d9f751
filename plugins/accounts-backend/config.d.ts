export interface Config {
  /** Configuration of the Fleet Portal accounts plugin. */
  accounts?: {
    /**
     * Seed a demo fleet of about a dozen accounts into an empty registry on
     * start-up (the embedded defaults). Off unless set.
     */
    demoData?: boolean;
    /**
     * Where accounts.json is written after every registry change: either
     * `folder` or `gcs`, not both.
     */
    export?: {
      /**
       * A local folder (the embedded default), relative to the backend's
       * working directory. accounts.json is written into it atomically.
       */
      folder?: string;
      /**
       * A Cloud Storage object. Every write is conditioned on the object's
       * generation, so a concurrent writer is never overwritten; credentials
       * are Google application default credentials.
       */
      gcs?: {
        /** The bucket, e.g. `acme-fleet-exports`. */
        bucket: string;
        /** The object's name in the bucket. Default `accounts.json`. */
        object?: string;
        /**
         * Another endpoint than Cloud Storage's own, e.g. a private endpoint
         * or a local server speaking the JSON API, like
         * `http://127.0.0.1:4443`. Requests to it are authenticated unless
         * `anonymous` is set.
         */
        apiEndpoint?: string;
        /** The bucket's project. Optional: objects are addressed by bucket. */
        projectId?: string;
        /**
         * Send no credentials. Only together with `apiEndpoint`, for a local
         * server or emulator.
         */
        anonymous?: boolean;
      };
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
