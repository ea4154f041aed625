// Number formats of the diagnostics views: sizes in bytes, durations, percentages.

/** 1536 → "1.5 KiB"; the report's sizes are bytes, shown in binary units as systems do. */
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** 93784 → "1 d 2 h 3 min". */
export function formatUptime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [];
  if (days) parts.push(`${days} d`);
  if (days || hours) parts.push(`${hours} h`);
  parts.push(`${minutes} min`);
  return parts.join(' ');
}

/** 12.345 → "12.3 %". */
export function formatPercent(value) {
  return Number.isFinite(value) ? `${value.toFixed(1)} %` : '—';
}

/** used / total as 0..100, or null when it cannot be told. */
export function usedPercent(total, free) {
  if (!Number.isFinite(total) || !Number.isFinite(free) || total <= 0) return null;
  return Math.min(100, Math.max(0, ((total - free) / total) * 100));
}
