import { useEffect, useState } from 'react';
import { ShortcutRegistry } from './shortcuts';
import { ShortcutContext, useGlobalKeys } from './useShortcuts';
import { useRoute } from './router';
import { HomePage } from '../ui/home/HomePage';
import { ProjectPage } from '../ui/project/ProjectPage';
import { Notices } from '../ui/Notices';
import { UpdatePrompt } from '../ui/UpdatePrompt';

export function App() {
  const route = useRoute();
  const [registry] = useState(() => new ShortcutRegistry());
  useGlobalKeys(registry);
  useEffect(() => {
    document.title = route.page === 'home' ? 'Tally' : 'Tally — project';
  }, [route.page]);
  return (
    <ShortcutContext.Provider value={registry}>
      {route.page === 'home' ? <HomePage /> : <ProjectPage />}
      <Notices />
      <UpdatePrompt />
    </ShortcutContext.Provider>
  );
}
