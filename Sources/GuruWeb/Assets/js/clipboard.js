// Copy to clipboard with a fallback for plain-HTTP origins (where
// navigator.clipboard is missing), and file downloads for generated text.
import { toast } from './components/toast.js';

/** Copies `text`; shows a toast either way. Returns true on success. */
export async function copyText(text, what = 'Copied to clipboard') {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
    } else {
      legacyCopy(text);
    }
    toast.success(what);
    return true;
  } catch (err) {
    toast.error("Couldn't copy", 'Your browser blocked clipboard access. Select the text and copy it manually.');
    return false;
  }
}

function legacyCopy(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy command failed');
}

/** Saves `text` as a file called `filename`. */
export function downloadText(filename, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
