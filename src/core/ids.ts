import type { AnnotationId, ClassId, DecisionId, ImageId, LayerId, ProjectId } from './model';

// randomUUID exists in every place the core runs (browsers, workers, Node ≥ 19); the core
// is compiled without DOM or Node types, so it is declared here rather than borrowed from them.
declare const crypto: { randomUUID(): string };

/** A new random id (UUID v4). Ids are opaque: never parse them. */
export const newId = (): string => crypto.randomUUID();
export const newProjectId = (): ProjectId => newId() as ProjectId;
export const newImageId = (): ImageId => newId() as ImageId;
export const newClassId = (): ClassId => newId() as ClassId;
export const newAnnotationId = (): AnnotationId => newId() as AnnotationId;
export const newLayerId = (): LayerId => newId() as LayerId;
export const newDecisionId = (): DecisionId => newId() as DecisionId;
