import { useRef } from 'react';
import { useApp, useDocument, useJobs } from '../../app/context';
import { fromFileList } from '../../exchange/pickedFiles';

/** "Import images" (files and .zip archives) and "Import folder" (a whole directory tree). */
export function ImportButtons() {
  const { imports } = useApp();
  const canEdit = useDocument((s) => s.doc !== null && s.mode === 'edit');
  const busy = useJobs((s) => s.job !== null);
  // A project without images has one thing to do first: this button is then the primary one.
  const empty = useDocument((s) => s.doc !== null && s.doc.images.length === 0);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);

  const take = (input: HTMLInputElement) => {
    const picked = input.files ? fromFileList(input.files) : [];
    input.value = ''; // choosing the same files again must fire change again
    void imports.importFiles(picked);
  };

  return (
    <>
      <button type="button" className={empty ? 'primary' : undefined} disabled={!canEdit || busy} onClick={() => filesRef.current?.click()}>
        Import images
      </button>
      <button type="button" disabled={!canEdit || busy} onClick={() => folderRef.current?.click()}>
        Import folder
      </button>
      <input
        ref={filesRef}
        type="file"
        multiple
        accept="image/*,.jpg,.jpeg,.png,.gif,.webp,.bmp,.avif,.zip,application/zip"
        hidden
        data-testid="import-images-input"
        onChange={(e) => take(e.currentTarget)}
      />
      <input
        ref={folderRef}
        type="file"
        hidden
        data-testid="import-folder-input"
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => take(e.currentTarget)}
      />
    </>
  );
}
