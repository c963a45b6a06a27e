/** The CLI/library version, reported as `producer_version` in results and traces. */
export const VERSION = '0.1.0';
/** The Gait release whose policies, intents, outputs and exit codes this version reproduces. */
export const GAIT_VERSION = '1.3.6';
