import { Initial1764150000000 } from './1764150000000-Initial';
import { GenerationPipeline1764160000000 } from './1764160000000-GenerationPipeline';
import { TrackLibrary1764170000000 } from './1764170000000-TrackLibrary';
import { SsoTokensAdmin1764180000000 } from './1764180000000-SsoTokensAdmin';
import { Playlists1764190000000 } from './1764190000000-Playlists';
import { HfTokens1764200000000 } from './1764200000000-HfTokens';
import { References1764210000000 } from './1764210000000-References';
import { RowChangeNotifications1764220000000 } from './1764220000000-RowChangeNotifications';
import { TrackLoudness1764230000000 } from './1764230000000-TrackLoudness';
import { ReferenceAudioFormat1764240000000 } from './1764240000000-ReferenceAudioFormat';
import { Invites1764256000000 } from './1764256000000-Invites';
import { ApiTokenScopes1764270000000 } from './1764270000000-ApiTokenScopes';
import { Webhooks1764280000000 } from './1764280000000-Webhooks';
import { IdempotencyKeys1764290000000 } from './1764290000000-IdempotencyKeys';
import { ShareDownloads1764300000000 } from './1764300000000-ShareDownloads';
import { PlaylistShareDownloads1764310000000 } from './1764310000000-PlaylistShareDownloads';
import { AdmitGenerationFunction1764320000000 } from './1764320000000-AdmitGenerationFunction';

/** The migration chain, oldest first. Add new migrations at the end. */
export const MIGRATIONS = [Initial1764150000000, GenerationPipeline1764160000000, TrackLibrary1764170000000, SsoTokensAdmin1764180000000, Playlists1764190000000, HfTokens1764200000000, References1764210000000, RowChangeNotifications1764220000000, TrackLoudness1764230000000, ReferenceAudioFormat1764240000000, Invites1764256000000, ApiTokenScopes1764270000000, Webhooks1764280000000, IdempotencyKeys1764290000000, ShareDownloads1764300000000, PlaylistShareDownloads1764310000000, AdmitGenerationFunction1764320000000];
