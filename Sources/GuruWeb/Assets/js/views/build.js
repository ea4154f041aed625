// Build tab: the unattended installer builder. The form (build-form.js), the outputs
// (build-outputs.js) and the enrolment tokens (build-tokens.js) share one page.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { can } from '../session.js';
import { card, emptyState, errorState, loadingBlock, pageHeader } from '../components/ui.js';
import { buildForm, refreshSuggestions } from './build-form.js';
import { buildOutputs } from './build-outputs.js';
import { tokensCard } from './build-tokens.js';

export function render(container, ctx) {
  ctx.setTitle('Build');
  const header = pageHeader({ title: 'Build installer', description: 'Installers for the permanent, unattended agent: machines enrol themselves and land in the right groups.' });
  if (!can('buildInstallers')) {
    replace(container, header, emptyState({ icon: 'lock', title: "You can't build installers", text: 'Your role does not include "Build installers". Ask an administrator if you need it.', testid: 'build-forbidden' }));
    return;
  }
  const load = async () => {
    replace(container, header, loadingBlock('Loading the installer builder…'));
    let options;
    let suggestions;
    try {
      [options, suggestions] = await Promise.all([api('GET', '/api/build/options'), api('GET', '/api/build/suggestions')]);
    } catch (err) {
      replace(container, header, errorState(err, load, "Couldn't load the installer builder"));
      return;
    }
    const tokens = tokensCard();
    let outputs = null;
    const form = buildForm({ options, suggestions, onPlatform: (id) => outputs && outputs.setPlatform(id) });
    outputs = buildOutputs({
      options, form,
      onBuilt: async () => {
        tokens.reload();
        try {
          refreshSuggestions(form.form, await api('GET', '/api/build/suggestions'));
        } catch {
          // Suggestions are a convenience: the build itself succeeded and is shown.
        }
      },
    });
    replace(container, header, h('div', { class: 'stack-lg build-page' },
      card({ title: 'Machine details', description: 'Baked into the installer; a machine can change them later with --reconfigure.', body: form.form, testid: 'build-form-card' }),
      card({ title: 'Get the installer', body: outputs.el, testid: 'build-outputs-card' }),
      tokens.el));
  };
  load();
}
