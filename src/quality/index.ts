/**
 * The consistency checker's public API (../shared/QUALITY.md). Pure: runs in a worker, in Node,
 * anywhere. Import from here; the files behind it may move.
 */
export * from './types';
export { toCheckAnnotation } from './checkAnnotation';
export { DEFAULT_QUALITY_SETTINGS, qualitySettingsOf, validateQualitySettings, type QualitySettings } from './settings';
export { checkNow, checkSteps, recheck, runCheck, type CheckProgress, type CheckRun, type CheckState, type RunOptions, type RunOutcome } from './check';
export { buildFix, clipIntoImage, deleteShapes, markBackground, mergeClasses, moveToSplit, sendToQueue, type FixContext } from './fixes';
export {
  accuracy,
  addMetrics,
  attributeDifferences,
  ConfusionCounter,
  EMPTY_METRICS,
  f1Score,
  matchPrepared,
  matchShapes,
  meanIoU,
  prepareInputs,
  UNMATCHED,
  type AttributeMismatch,
  type ConfusionLabel,
  type ConfusionMatrix,
  type MatchedPair,
  type MatchInput,
  type MatchMetrics,
  type MatchOptions,
  type MatchResult,
  type PreparedInput,
} from './match';
export { prepareShape, preparedIoU, shapeIoU, type PreparedShape } from './iou';
export {
  agreementReport,
  agreementSummary,
  disagreementCounts,
  imageAgreement,
  summarizeAgreement,
  summarizeImage,
  type AgreementFigures,
  type AgreementInput,
  type AgreementOptions,
  type AgreementReport,
  type AgreementSummary,
  type DisagreementCounts,
  type ImageSummary,
  type Cluster,
  type ClusterMember,
  type ClusterStatus,
  type ImageAgreement,
  type PairAgreement,
} from './agreement';
export { AlphaAccumulator, alphaReading, nominalAlpha, NOT_ANNOTATED, type AlphaReading, type AlphaResult } from './krippendorff';
export {
  ASPECT_BIN_EDGES,
  HEATMAP_SIZE,
  OBJECTS_CAP,
  overview,
  SIZE_BINS,
  SIZE_BIN_LIMITS,
  type ClassSplitFigures,
  type DatasetOverview,
  type OverviewOptions,
} from './overview';
export { canonicalClassKey, damerauLevenshtein } from './rules/classNames';
export { BLUR_WORKING_SIZE, greyImageStats, imageStats } from './rules/imageProperties';
export { imageFeaturesOf } from './features';
export { agreedClusters, clusterKey, mergedShape, resolveCluster, type ConsensusShape, type Resolution, type ResolutionKind } from './consensus';
// agreementFiles.ts (the agreement report as CSV and JSON) is imported from its own path, not
// re-exported here: it reuses the CSV exporter's cell guard (formats/csv.ts), which brings
// papaparse, and Rollup keeps that CommonJS module in every bundle that imports this index (the
// check worker among them) even when nothing of it is used.
export { ANNOTATOR_DASHES, ANNOTATOR_PALETTE, annotatorColourAt, annotatorColours, type AnnotatorColour } from './annotatorColours';
