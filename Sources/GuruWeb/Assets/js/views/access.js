// Access tab: unattended machines. Ships in a later release.
import { replace } from '../dom.js';
import { pageHeader } from '../components/ui.js';
import { featurePreview } from '../components/feature-preview.js';

export function render(container, ctx) {
  ctx.setTitle('Access');
  replace(container,
    pageHeader({ title: 'Access', description: 'Unattended machines with the permanent agent installed.' }),
    featurePreview({
      testid: 'access-empty',
      icon: 'monitor',
      title: 'Your unattended machines will be listed here',
      text: 'Every machine running the permanent agent checks in here, grouped by company, site, OS and tag, ready to connect to at any time.',
      steps: [
        { icon: 'building', title: 'Grouped the way MSPs work', text: 'Browse by company, site, OS, device type or tag, with a live count for every group.' },
        { icon: 'zap', title: 'Smart groups', text: 'Online now, offline 30 days, outdated agents, recently accessed and machines flagged for attention, built automatically.' },
        { icon: 'search', title: 'Search and detail', text: 'Find a machine by hostname, IP, logged-on user or serial number, and see its device and network details at a glance.' },
      ],
    }));
}
