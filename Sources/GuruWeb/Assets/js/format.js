// Date and text formatting shared by the views.

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function parse(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(iso, empty = '—') {
  const d = parse(iso);
  return d ? dateTime.format(d) : empty;
}

export function formatDate(iso, empty = '—') {
  const d = parse(iso);
  return d ? dateOnly.format(d) : empty;
}

/** "3 minutes ago", "in 29 days"; `empty` when absent. */
export function formatRelative(iso, empty = '—') {
  const d = parse(iso);
  if (!d) return empty;
  const seconds = Math.round((d.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds <= 0 ? 'just now' : 'in a moment';
  const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (abs >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), 'minute');
}

export function isPast(iso) {
  const d = parse(iso);
  return Boolean(d && d.getTime() <= Date.now());
}

export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

/** "1 minute", "2 minutes" */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
