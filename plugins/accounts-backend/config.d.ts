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
      /**
       * Called after an export: a POST of
       * `{ event: 'accounts.exported', generatedAt, accounts, account? }` as
       * JSON. Only https, and never to loopback, link-local, private,
       * unique-local, CGNAT, multicast or unspecified addresses (checked
       * for every address the host resolves to, when configured and on
       * each send) unless `allowPrivateNetworks`.
       */
      hook?: {
        /** The hook's URL, e.g. `https://hooks.example.com/fleet`. */
        url: string;
        /** When set, the URL's host must be one of these. */
        allowedHosts?: string[];
        /**
         * Allow private and local addresses and plain http, e.g. for a
         * receiver inside the cluster network. Default false.
         */
        allowPrivateNetworks?: boolean;
        /** A send fails after this many seconds. Default 10. */
        timeoutSeconds?: number;
        /**
         * Headers sent with each call, e.g. an `Authorization` token.
         * @visibility secret
         */
        headers?: { [name: string]: string };
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
        /**
         * Served by the local cluster simulator, not a real cluster (shown in
         * the UI). Default false.
         */
        simulated?: boolean;
        /**
         * Every request to the cluster fails after this many seconds.
         * Default 10.
         */
        timeoutSeconds?: number;
        /**
         * Reach the cluster through a kubeconfig context, when
         * `kubernetes.clusterLocatorMethods` has no entry of this name
         * (that entry wins). Read when the cluster is first used.
         */
        kubeconfig?: {
          /**
           * The kubeconfig file. Default the files of `$KUBECONFIG`, else
           * `~/.kube/config`.
           */
          path?: string;
          /** The context to use. */
          context: string;
        };
      }>;
      /** How the environment's accounts are laid out in the config repository. */
      gitops?: {
        /**
         * Folder of the environment's account folders in the config
         * repository; each account gets `<pathPrefix>/<account>`. A relative
         * path without `.`/`..` segments. Default `k8s/flux/<environment>`.
         */
        pathPrefix?: string;
        /**
         * `automation`: Flux image automation updates the image tags (each
         * HelmRelease's tag carries the `$imagepolicy` marker), as in staging.
         * `pinned`: tags are released versions, changed only by a deploy, as
         * in production. Default `pinned`.
         */
        imagePolicy?: 'automation' | 'pinned';
        /** Notification settings replacing `accounts.gitops.notifications`. */
        notifications?: {
          /** Slack channel of this environment's deployment messages. */
          slackChannel?: string;
          /** Secret holding this environment's Slack webhook address. */
          secretName?: string;
        };
      };
    }>;
    /** Reconcile, suspend and resume of accounts' Flux objects. */
    flux?: {
      /**
       * How long reconcile and resume wait for Flux to handle the request
       * (`status.lastHandledReconcileAt`) before answering that it has not
       * yet. 0 to 300. Default 20.
       */
      actionWaitSeconds?: number;
    };
    /** How deploys run. */
    workflows?: {
      /**
       * How long a deploy waits for Flux to apply its commit and for the
       * account's HelmReleases to be Ready. Default 600.
       */
      readyTimeoutSeconds?: number;
      /** How often a deploy looks at Flux's status meanwhile. Default 2. */
      pollIntervalSeconds?: number;
    };
    /**
     * What provisioning creates in an account's cluster: its namespace, the
     * Secrets below and a Flux Kustomization applying its folder of the
     * config repository.
     */
    provisioning?: {
      /** The account's Flux Kustomization. */
      flux?: {
        /**
         * The Flux source of the config repository. Default `GitRepository`
         * `flux-system` in namespace `flux-system` (what `flux bootstrap`
         * creates).
         */
        sourceRef?: {
          /** Kind of the source. */
          kind?: 'GitRepository' | 'OCIRepository' | 'Bucket';
          /** Name of the source object. */
          name?: string;
          /** Namespace of the source object. */
          namespace?: string;
        };
        /** How often Flux reconciles it, e.g. `5m`. Default `5m`. */
        interval?: string;
        /** How long one apply may take, e.g. `3m`. */
        timeout?: string;
      };
      /** Extra labels of every account namespace. */
      labels?: { [key: string]: string };
      /** Secrets created in every account namespace. */
      secrets?: Array<{
        /** Name of the Secret, e.g. `slack-webhook`. */
        name: string;
        /** Type of the Secret. Default `Opaque`. */
        type?: string;
        /** Per key of the Secret, where its value comes from. */
        data: {
          [key: string]: {
            /**
             * The value, e.g. `${SLACK_WEBHOOK_URL}`.
             * @visibility secret
             */
            value?: string;
            /** A file read at provisioning time, e.g. a mounted secret. */
            file?: string;
          };
        };
      }>;
    };
    /**
     * Where each service's repository is, for its releases (tags, release
     * notes, the commits behind the next version): either `local` or
     * `github`, not both. Without it the portal shows no releases.
     */
    releases?: {
      /**
       * A folder of bare git repositories, one per service:
       * `<path>/<service>.git` (the embedded default; with `demoData`, a
       * missing one is created with a demo history). Relative to the
       * backend's working directory.
       */
      local?: {
        /** The folder, e.g. `../../.data/services`. */
        path: string;
      };
      /**
       * GitHub repositories, through the credentials of the matching
       * `integrations.github` entry.
       */
      github?: {
        /** GitHub host, for GitHub Enterprise. Default `github.com`. */
        host?: string;
        /** Service name (of `accounts.gitops.services`) → `owner/repo`. */
        repositories: { [service: string]: string };
      };
    };
    /**
     * The GitOps config repository (the single source of truth of what runs)
     * and what the portal renders into it: per account a folder
     * `<pathPrefix>/<account>` with its HelmReleases, notifications and
     * account config.
     */
    gitops?: {
      /**
       * Where the config repository is: either `local` or `github`, not
       * both.
       */
      repository?: {
        /** The branch the portal reads and commits to. Default `main`. */
        branch?: string;
        /**
         * A bare git repository on disk, created with an initial commit on
         * the first start: the embedded default. Relative to the backend's
         * working directory.
         */
        local?: {
          /** Folder of the bare repository, e.g. `../../.data/config-repo.git`. */
          path: string;
        };
        /**
         * A repository on GitHub, written through the credentials of the
         * matching `integrations.github` entry.
         */
        github?: {
          /** Owner (organization or user) of the repository. */
          owner: string;
          /** Name of the repository, e.g. `acme-config`. */
          repo: string;
          /** GitHub host, for GitHub Enterprise. Default `github.com`. */
          host?: string;
        };
      };
      /**
       * Author of the portal's commits. Default
       * `Fleet Portal <fleet-portal@localhost>`.
       */
      author?: {
        /** The author's name. */
        name?: string;
        /** The author's email address. */
        email?: string;
      };
      /**
       * How often Flux reconciles each HelmRelease, as a Flux duration like
       * `5m` or `1h30m`. Default `5m`.
       */
      interval?: string;
      /** Where Flux reports HelmRelease events (a Slack provider per account). */
      notifications?: {
        /** Slack channel of the messages. Default `#deployments`. */
        slackChannel?: string;
        /**
         * Secret in each account's namespace holding the Slack webhook
         * address (key `address`). Default `slack-webhook`.
         */
        secretName?: string;
      };
      /** The services an account can run; accounts name them in `services`. */
      services?: Array<{
        /** Name of the service, a DNS-1123 label: names its HelmRelease. */
        name: string;
        /** The service's Helm chart. */
        chart: {
          /**
           * Name of the chart in a HelmRepository, or its path in a
           * GitRepository, e.g. `./charts/backend`.
           */
          name: string;
          /** Chart version or semver range, e.g. `1.4.0`. */
          version: string;
          /**
           * The Flux source holding the chart. From an OCIRepository the
           * HelmRelease references it as `chartRef` and the OCIRepository
           * selects the version.
           */
          sourceRef: {
            /** Kind of the source. */
            kind: 'HelmRepository' | 'GitRepository' | 'OCIRepository';
            /** Name of the source object. */
            name: string;
            /** Namespace of the source object, e.g. `flux-system`. */
            namespace?: string;
          };
        };
        /** The service's container image. */
        image: {
          /**
           * Image repository without tag, e.g.
           * `europe-docker.pkg.dev/acme-saas/images/backend`; written to
           * `values.image.repository`.
           */
          repository: string;
        };
        /**
         * Helm values for every environment. Accounts' overrides are merged
         * over them (objects merge, arrays and scalars replace).
         */
        values?: { [key: string]: any };
        /** Per environment name, what differs there. */
        environments?: {
          [environment: string]: {
            /** Helm values merged over the service's `values`. */
            values?: { [key: string]: any };
            /**
             * Image tag of a new HelmRelease in this environment, e.g.
             * `main-3f9c2a1-1763800000` (staging) or `1.4.2` (production).
             * A tag already committed, or one a deploy pins, wins.
             */
            imageTag?: string;
          };
        };
      }>;
    };
  };
  /**
   * Backstage's kubernetes plugin configuration: the part Fleet Portal reads
   * to reach the clusters named by `accounts.environments[].clusters[]`, so
   * one entry serves both.
   */
  kubernetes?: {
    /** Where clusters are found; only `type: config` entries are read. */
    clusterLocatorMethods?: Array<{
      /** The locator; Fleet Portal reads `config`. */
      type: string;
      /** Clusters listed in config. */
      clusters?: Array<{
        /** Name of the cluster, as `accounts.environments[].clusters[].name`. */
        name: string;
        /** URL of the cluster's API server. */
        url: string;
        /**
         * `serviceAccount` (a token) or `googleServiceAccount` (Google
         * application default credentials, for GKE).
         */
        authProvider: string;
        /**
         * The token for `serviceAccount`.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
        /** A file holding the API server's CA. */
        caFile?: string;
        /** Do not verify the API server's certificate. Default false. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
}
