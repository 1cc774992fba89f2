import type { EffectiveQuota, UserQuotaOverrides } from '@texttune/contracts';
import type { AppConfig } from '../config/app-config';

/**
 * The generation limits for one user: the server's, with the user's overrides (set by
 * an admin) in place of DAILY_SECONDS_QUOTA and MAX_ACTIVE_JOBS_PER_USER. The overrides
 * come with the authenticated user (read by the same statement that authenticates the
 * request), so this costs nothing.
 */
export function generationLimitsFor(config: AppConfig, user: { quota?: UserQuotaOverrides }): AppConfig['generation'] {
  const quota = user.quota;
  if (!quota || (quota.dailySeconds === null && quota.maxActiveJobs === null)) return config.generation;
  return {
    ...config.generation,
    dailySecondsQuota: quota.dailySeconds ?? config.generation.dailySecondsQuota,
    maxActiveJobsPerUser: quota.maxActiveJobs ?? config.generation.maxActiveJobsPerUser,
  };
}

export function effectiveQuota(config: AppConfig, quota: UserQuotaOverrides): EffectiveQuota {
  const limits = generationLimitsFor(config, { quota });
  return { dailySeconds: limits.dailySecondsQuota, maxActiveJobs: limits.maxActiveJobsPerUser };
}
