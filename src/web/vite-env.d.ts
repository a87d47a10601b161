/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's origin for the extension build, e.g. https://holdout.example.com; empty = same origin. */
  readonly VITE_HOLDOUT_API_URL?: string;
  /** True in the package uploaded to Twitch (npm run build:extension), false in `holdout serve`'s pages. */
  readonly VITE_HOLDOUT_EXTENSION: boolean;
}
