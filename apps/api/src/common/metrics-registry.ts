import type { Registry } from 'prom-client';

/**
 * The application's Prometheus registry, for code in lower layers that keeps figures of
 * its own (the auth cache); MetricsModule provides it.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export type MetricsRegistry = Registry;
