export { startFakeTranslate, type FakeTranslate, type FakeTranslateOptions, type RequestLogEntry, type ApiName } from './server';
export { FAILURE_MODES, DEFAULT_SETTINGS, settingsFromEnv, parseSettingsPatch, type FailureMode, type FakeTranslateSettings } from './settings';
export { BUILT_IN_TRANSLATIONS, LANGUAGES, detect, translateText, escapeHtml } from './engine';
