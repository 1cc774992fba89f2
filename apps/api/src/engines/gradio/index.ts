export { GradioEngine, GRADIO_ENGINE_ID, type GradioEngineOptions, type GradioEngineRequest, type ReferenceAudio } from './gradio-engine';
export { planSpace, buildInputs, SpacePlanError, type SpacePlan, type InputSlot } from './space-plan';
export { resolveSpace, parseSpaceReference, SpaceClient, type SpaceTarget } from './space-client';
