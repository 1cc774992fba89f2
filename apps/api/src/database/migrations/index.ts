import { Initial1764150000000 } from './1764150000000-Initial';

/** The migration chain, oldest first. Add new migrations at the end. */
export const MIGRATIONS = [Initial1764150000000];
