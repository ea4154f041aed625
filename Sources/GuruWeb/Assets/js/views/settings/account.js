// Account: profile summary, password, two-factor authentication and API keys.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { setUser } from '../../session.js';
import { pageHeader, card, badge, loadingBlock, errorState } from '../../components/ui.js';
import { passwordCard } from './account-password.js';
import { totpCard } from './account-totp.js';
import { apiKeysCard } from './account-apikeys.js';

export function render(container) {
  const header = pageHeader({ title: 'Account', description: 'Your sign-in details, two-factor authentication and API keys.' });
  const load = async () => {
    replace(container, header, loadingBlock('Loading your account…'));
    let session;
    try {
      session = await api('GET', '/api/session');
    } catch (err) {
      replace(container, header, errorState(err, load));
      return;
    }
    setUser(session.user);
    replace(container, header, h('div', { class: 'stack-lg' },
      profileCard(session.user), passwordCard(session.user), totpCard(session.user), apiKeysCard()));
  };
  load();
}

function profileCard(user) {
  const row = (label, value) => h('div', { class: 'dl-row' }, h('dt', null, label), h('dd', null, value));
  return card({
    title: 'Profile',
    description: 'Ask an administrator to change your role or team.',
    body: h('dl', { class: 'dl', id: 'account-profile' },
      row('Display name', user.displayName),
      row('Username', h('span', { class: 'mono' }, user.username)),
      row('Role', badge(user.role ? user.role.name : 'None', 'primary')),
      row('Team', user.team ? user.team.name : h('span', { class: 'text-muted' }, 'No team'))),
  });
}
