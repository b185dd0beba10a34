import { ok } from '../core/result';
import { PASS, type Command } from './commands';
import type { AppRuntime } from './context';

/** The checker's commands: Run check (a button), the Issues panel, and J / K through the issues (the issues scope). */
export function checkCommands({ services, checks }: Pick<AppRuntime, 'services' | 'checks'>): Command[] {
  const { stores } = services;
  const hasProject = (): true | string => (stores.document.getState().doc ? true : 'Open a project first.');
  return [
    {
      id: 'check.run',
      label: 'Run check',
      description: 'Check the whole project for what stops a model from improving',
      scope: 'editor',
      group: 'Checking',
      enabled: () => {
        const doc = stores.document.getState().doc;
        if (!doc) return 'Open a project first.';
        if (doc.images.length === 0) return 'There is nothing to check yet: import images first.';
        return stores.check.getState().status === 'running' ? 'A check is running.' : true;
      },
      run: async () => {
        const r = await checks.run();
        return r.ok || r.message === 'The check was cancelled.' ? ok(null) : r;
      },
    },
    {
      id: 'check.panel',
      label: 'Issues',
      description: 'Show or hide the Issues panel',
      scope: 'editor',
      keys: ['Shift+i'],
      group: 'Checking',
      enabled: hasProject,
      pressed: () => stores.check.getState().panelOpen,
      run: () => {
        stores.check.setState((s) => ({ panelOpen: !s.panelOpen }));
        return ok(null);
      },
    },
    {
      id: 'check.overview',
      label: 'Dataset overview',
      description: 'Charts of classes, splits, sizes and positions',
      scope: 'editor',
      group: 'Checking',
      enabled: () => ((stores.document.getState().doc?.images.length ?? 0) > 0 ? true : 'There is nothing to chart yet: import images first.'),
      run: () => {
        stores.check.setState({ overviewOpen: true });
        return ok(null);
      },
    },
    {
      id: 'issues.next',
      label: 'Next issue',
      scope: 'issues',
      keys: ['j'],
      group: 'Checking',
      run: async () => ((await checks.step(1)) ? ok(null) : PASS),
    },
    {
      id: 'issues.previous',
      label: 'Previous issue',
      scope: 'issues',
      keys: ['k'],
      group: 'Checking',
      run: async () => ((await checks.step(-1)) ? ok(null) : PASS),
    },
  ];
}
