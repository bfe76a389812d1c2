import type { BuildOptions } from 'esbuild';
/** The run panel's bundle options; `production` minifies and drops the source map. */
export declare function webviewBundle(production: boolean): BuildOptions;
