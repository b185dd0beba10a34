import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';
import { App } from './App';
import { AppContext, type AppRuntime } from './context';
import { ExchangeController } from './exchangeController';
import { ImportController } from './importController';
import { refreshProjects } from './projectActions';
import { ProjectSession } from './projectSession';
import { navigate, homeHref, parseRoute } from './router';
import { createServices } from './services';
import { loadSettings } from './settingsActions';
import { ToolRunner } from './toolRunner';
import { CanvasControls } from '../canvas/canvasControls';
import { CommandRegistry } from './commands';
import { editorCommands, globalCommands } from './editorCommands';
import { CheckController } from './checkController';
import { ReviewController } from './reviewController';
import { checkCommands } from './checkCommands';
import { reviewCommands } from './reviewCommands';
import { bindKeys } from './keyboard';
import { reportResult, watchStores } from '../state/stores';

/**
 * The composition root: open the database, restore settings, start the session that follows
 * the route, then render. The route (URL hash) decides which project is open; React only shows it.
 */
async function boot(root: HTMLElement): Promise<void> {
  const services = await createServices();
  await loadSettings(services);
  const tools = new ToolRunner(services);
  const canvas = new CanvasControls();
  const commands = new CommandRegistry({ report: (result) => reportResult(services.stores, result), watch: (listener) => watchStores(services.stores, listener) });
  const checks = new CheckController(services, canvas);
  const review = new ReviewController(services);
  commands.register(...globalCommands({ services }), ...editorCommands({ services, tools, canvas }), ...checkCommands({ services, checks }), ...reviewCommands({ services, canvas, review }));
  bindKeys(commands);
  const runtime: AppRuntime = {
    services,
    checks,
    review,
    session: new ProjectSession(services, () => checks.reset()),
    imports: new ImportController(services),
    exchange: new ExchangeController(services),
    tools,
    canvas,
    commands,
  };

  const followRoute = async () => {
    const route = parseRoute(window.location.hash);
    if (route.page === 'project') {
      if (runtime.session.projectId !== route.projectId) {
        runtime.imports.cancel();
        const opened = await runtime.session.open(route.projectId);
        if (!opened && parseRoute(window.location.hash).page === 'project') navigate(homeHref);
      }
    } else {
      runtime.imports.cancel();
      await runtime.session.close();
      runtime.imports.release();
      await refreshProjects(services);
    }
  };
  window.addEventListener('hashchange', () => void followRoute());
  services.broadcast.subscribe(() => {
    if (parseRoute(window.location.hash).page === 'home') void refreshProjects(services);
  });
  void followRoute();

  createRoot(root).render(
    <StrictMode>
      <AppContext.Provider value={runtime}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
}

const root = document.getElementById('root')!;
boot(root).catch((e: unknown) => {
  root.innerHTML = '';
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.textContent = `Tally could not open its storage in this browser: ${e instanceof Error ? e.message : String(e)}. Private windows and some privacy settings block IndexedDB; Tally needs it to keep your work.`;
  root.append(p);
});
