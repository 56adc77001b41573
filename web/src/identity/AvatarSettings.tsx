/**
 * The viewer's picture, from the header: a button showing their avatar opens
 * a dialog to upload a picture (uploadAttachment, then setAvatar: the server
 * keeps a WebP within 480×480 of it) or to remove it (clearAvatar). Others
 * see it at once on the viewer's messages (UserAvatarChanged on their feed).
 */
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { decodeViewer } from '../api/decode.ts';
import { errorCode, errorMessage } from '../api/errors.ts';
import { ClearAvatarMutation, SetAvatarMutation, type Viewer } from '../api/operations.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { uploadErrorText } from '../attachments/uploadErrors.ts';
import { uploadFile } from '../attachments/uploadFile.ts';
import { loadToken } from '../auth/storedToken.ts';
import { Avatar } from './Avatar.tsx';
import { avatarChanged } from './liveAvatars.ts';

/** What the server turns into an avatar (the bytes decide; the browser's filter only helps the picker). */
const accepted = 'image/png,image/jpeg,image/webp,image/gif';

type Status = { readonly text: string; readonly error: boolean } | null;

export function AvatarSettings({ me, onChange }: { me: Viewer; onChange: (me: Viewer) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button quiet small avatar-button" onClick={() => setOpen(true)} aria-haspopup="dialog" title="Your picture">
        <Avatar user={me} className="inline" />
        <span className="visually-hidden">Your picture</span>
      </button>
      {open && <AvatarDialog me={me} onChange={onChange} onClose={() => setOpen(false)} />}
    </>
  );
}

function AvatarDialog({ me, onChange, onClose }: { me: Viewer; onChange: (me: Viewer) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const { client } = useThrds();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const id = useId();

  // Modal: focus stays inside, the rest of the page is inert, Escape closes it (the `close` event).
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const changed = (raw: unknown, done: string) => {
    const viewer = decodeViewer(raw as Parameters<typeof decodeViewer>[0]);
    if (viewer) {
      onChange(viewer);
      avatarChanged(viewer.id, viewer.avatarUrl ?? null);
    }
    setStatus({ text: done, error: false });
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setBusy(true);
    setStatus({ text: 'Uploading…', error: false });
    try {
      const uploaded = await uploadFile({ file: chosen, name: chosen.name, alt: null, token: loadToken(), onProgress: () => {} }).result;
      if (!uploaded.ok) return setStatus({ text: uploadErrorText(uploaded.failure), error: true });
      const result = await client.mutation(SetAvatarMutation, { input: { attachmentId: uploaded.attachment.id } }).toPromise();
      if (result.error) return setStatus({ text: setAvatarErrorText(result.error), error: true });
      changed(result.data?.setAvatar, 'Your picture is set.');
    } finally {
      setBusy(false);
      if (file.current) file.current.value = '';
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const result = await client.mutation(ClearAvatarMutation, {}).toPromise();
      if (result.error) return setStatus({ text: errorMessage(result.error), error: true });
      changed(result.data?.clearAvatar, 'Picture removed: your initials are shown instead.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="avatar-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>Your picture</h2>
      <div className="avatar-dialog-body">
        <Avatar user={me} className="inline large" />
        <p>Shown beside your messages. Without one, your initials are shown on your colour.</p>
      </div>
      <div className="avatar-dialog-actions">
        <label htmlFor={`${id}-file`}>Upload a picture</label>
        <input id={`${id}-file`} ref={file} type="file" accept={accepted} onChange={(e) => void upload(e)} disabled={busy} />
        <button type="button" className="button quiet" onClick={() => void remove()} disabled={busy || !me.avatarUrl}>
          Remove picture
        </button>
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <p className={`avatar-dialog-status${status?.error ? ' error' : ''}`} role="status">
        {status?.text}
      </p>
    </dialog>
  );
}

function setAvatarErrorText(error: Parameters<typeof errorCode>[0]): string {
  const reason = error.graphQLErrors[0]?.extensions['reason'];
  if (reason === 'NOT_AN_IMAGE') return 'That file is not a picture: choose a PNG, JPEG, WebP or GIF.';
  if (errorCode(error) === 'RATE_LIMITED') return 'You have changed your picture often: try again later.';
  if (errorCode(error) === 'FORBIDDEN') return 'You cannot change your picture while suspended.';
  return errorMessage(error);
}
