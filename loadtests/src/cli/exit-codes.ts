/** k6's exit code for a breached threshold, kept so CI scripts read both engines alike. */
export const THRESHOLD_BREACHED_EXIT = 99;
