export * from './auth';
export * from './errors';
export * from './health';
export * from './generations';
export * from './tracks';
export * from './playlists';
export * from './admin';
export * from './settings';
