/** The project's root folder. */
export declare const ROOT: string;
/** Builds dist/ (tsc -p tsconfig.build.json) unless it is current and holds `target` (default: the bot's entry). */
export declare function ensureBuilt(target?: string): void;
