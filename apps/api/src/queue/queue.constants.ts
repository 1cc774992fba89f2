/** Queue, job names and job options: defined once, used by every process. */
export const GENERATION_QUEUE = 'generations';
export const RENDER_JOB = 'render';
