import { useEffect, useSyncExternalStore } from 'react';
import { useApp } from '../../app/context';
import type { ImageId, ProjectId } from '../../core/model';

/** An image's stored thumbnail. It is asked for only when `load` is true (a list asks once it stops moving). */
export function Thumbnail({ projectId, imageId, load = true }: { readonly projectId: ProjectId; readonly imageId: ImageId; readonly load?: boolean }) {
  const { services } = useApp();
  const cache = services.thumbnails;
  const url = useSyncExternalStore(cache.subscribe, () => cache.peek(projectId, imageId));
  useEffect(() => {
    if (load) cache.request(projectId, imageId);
  }, [cache, load, projectId, imageId]);
  return <span className="thumb">{url && <img src={url} alt="" decoding="async" draggable={false} />}</span>;
}
