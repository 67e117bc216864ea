export declare const BUILD_DIR: string;
export declare const MANIFEST: string;
export declare function freshBuild(root: string, buildDir?: string): string | null;
