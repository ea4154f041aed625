// WebSocket helpers shared by the viewer connection and the dashboard feed.

/** Detaches every handler of `ws` and closes it normally if it is open or opening. */
export function closeQuietly(ws, reason) {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = null;
  if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000, reason);
}
