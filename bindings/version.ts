/** The CLI/library version, reported as `producer_version` in results and traces. */
export const VERSION = '0.1.0';
