// Build tab: the unattended installer builder. Ships in a later release.
import { replace } from '../dom.js';
import { pageHeader } from '../components/ui.js';
import { featurePreview } from '../components/feature-preview.js';

export function render(container, ctx) {
  ctx.setTitle('Build');
  replace(container,
    pageHeader({ title: 'Build installer', description: 'Create installers for the permanent, unattended agent.' }),
    featurePreview({
      testid: 'build-empty',
      icon: 'wrench',
      title: 'The installer builder will live here',
      text: 'Build an installer with company, site, department, device type and tag baked in, so every machine lands in the right group the moment it checks in.',
      steps: [
        { icon: 'sliders', title: 'Fill in the metadata', text: 'Company, site, department, device type and tag, with the machine name taken automatically or set by you.' },
        { icon: 'package', title: 'Download EXE or MSI', text: 'A 64-bit EXE for one-off installs, or an MSI for silent Group Policy deployment.' },
        { icon: 'copy', title: 'Or share a link', text: 'Copy the installer URL for your deployment scripts, or send it to the person at the machine.' },
      ],
    }));
}
