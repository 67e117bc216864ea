import type { Metafile } from "esbuild";
export declare function buildCli(buildDir?: string): Promise<{ outdir: string; inputs: number; metafile: Metafile }>;
