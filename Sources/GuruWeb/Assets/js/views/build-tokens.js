// The Build tab's enrolment tokens: each build's token with its use count and state,
// revoked here (a revoked token enrols nothing more; machines already enrolled stay).
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { button, withBusy } from '../components/button.js';
import { badge, card, emptyState, errorState, loadingBlock, table } from '../components/ui.js';
import { toast } from '../components/toast.js';
import { formatDateTime } from '../format.js';

const STATE = {
  active: ['Active', 'success'],
  expired: ['Expired', 'neutral'],
  'used-up': ['Used up', 'neutral'],
  revoked: ['Revoked', 'destructive'],
};

function describe(metadata) {
  const parts = [metadata.company, metadata.site, metadata.department, metadata.tag].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}

/** The tokens card; `reload()` fetches the list again. */
export function tokensCard() {
  const body = h('div', { id: 'build-tokens' });
  async function reload() {
    if (!body.firstChild) replace(body, loadingBlock('Loading tokens…'));
    let tokens;
    try {
      tokens = await api('GET', '/api/enrolment-tokens');
    } catch (err) {
      replace(body, errorState(err, reload, "Couldn't load the enrolment tokens"));
      return;
    }
    if (!tokens.length) {
      replace(body, emptyState({ icon: 'key', title: 'No enrolment tokens yet', text: 'Every installer you build gets its own token. They are listed here with their use counts.', testid: 'build-tokens-empty' }));
      return;
    }
    replace(body, table({
      id: 'build-tokens-table',
      columns: [{ label: 'Token' }, { label: 'Uses' }, { label: 'Expires', className: 'hide-sm' }, { label: 'State' }, { label: '', className: 'cell-actions' }],
      rows: tokens.map((t) => {
        const [stateLabel, variant] = STATE[t.state] || [t.state, 'neutral'];
        const revoke = t.state === 'active'
          ? button({ label: 'Revoke', variant: 'outline', size: 'sm', testid: 'token-revoke', onClick: (event) => withBusy(event.currentTarget, async () => {
            try {
              await api('DELETE', `/api/enrolment-tokens/${encodeURIComponent(t.id)}`);
              toast.success('Token revoked', `"${t.name}" enrols no more machines.`);
              await reload();
            } catch (err) {
              toast.error("Couldn't revoke the token", err.message);
            }
          }) })
          : null;
        return h('tr', { dataset: { testid: 'token-row', tokenId: t.id, state: t.state } },
          h('td', { class: 'build-token-cell' }, h('div', { class: 'cell-title' }, t.name),
            h('div', { class: 'cell-sub' }, `${describe(t.metadata)} · ${t.platform} · by ${t.createdBy || '—'} · ${formatDateTime(t.createdAt)}`)),
          h('td', { dataset: { testid: 'token-uses' } }, t.maxUses ? `${t.uses} / ${t.maxUses}` : `${t.uses} / ∞`),
          h('td', { class: 'hide-sm' }, formatDateTime(t.expiresAt)),
          h('td', { dataset: { testid: 'token-state' } }, badge(stateLabel, variant)),
          h('td', { class: 'cell-actions' }, revoke));
      }),
    }));
  }
  reload();
  return { el: card({ title: 'Enrolment tokens', description: 'Machines trade a token for their own credential at first check-in.', body, testid: 'build-tokens-card' }), reload };
}
