/** dist/start/main.mjs: the service's bundle that `npm start` runs. */
export declare const START_BUNDLE: string;
/** Why the bundle must be built again, or undefined when it is up to date. */
export declare function startBundleStaleness(): string | undefined;
/** Builds dist/start/main.mjs and records what it was made from; resolves with its path. */
export declare function buildStartBundle(): Promise<string>;
