import type { BuildOptions } from 'esbuild';
export declare const serviceBundle: BuildOptions;
/** Builds dist/service/main.mjs and copies its files; resolves with the bundle's path. */
export declare function buildServiceBundle(): Promise<string>;
export declare function copyServiceAssets(): void;
