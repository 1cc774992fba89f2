export type HealthState = 'ok' | 'error' | 'shutting_down';

export interface HealthCheckResponse {
  status: HealthState;
  info?: Record<string, { status: string; [key: string]: unknown }>;
  error?: Record<string, { status: string; [key: string]: unknown }>;
  details?: Record<string, { status: string; [key: string]: unknown }>;
}
