import { Initial1764150000000 } from './1764150000000-Initial';
import { GenerationPipeline1764160000000 } from './1764160000000-GenerationPipeline';

/** The migration chain, oldest first. Add new migrations at the end. */
export const MIGRATIONS = [Initial1764150000000, GenerationPipeline1764160000000];
