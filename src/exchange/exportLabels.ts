/** How the Annotations from choice reads in the manifest and the dialog. */
export const ALL_LAYERS_LABEL = 'all annotators';
export const annotatorLabel = (layer: string | null): string => layer ?? ALL_LAYERS_LABEL;
