export { GradioEngine, GRADIO_ENGINE_ID, type GradioEngineOptions, type GradioEngineRequest, type ReferenceAudio } from './gradio-engine';
export { understandSpace, buildInputs, SpaceUnderstandingError, type SpacePlan, type InputSlot } from './understand';
export { resolveSpace, parseSpaceReference, SpaceClient, type SpaceTarget } from './space-client';
