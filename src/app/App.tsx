import { useEffect } from 'react';
import { useRoute } from './router';
import { useSession } from './context';
import { HomePage } from '../ui/home/HomePage';
import { ProjectPage } from '../ui/project/ProjectPage';
import { Notices } from '../ui/Notices';
import { ShortcutsDialog } from '../ui/ShortcutsDialog';
import { UpdatePrompt } from '../ui/UpdatePrompt';

export function App() {
  const route = useRoute();
  const shortcutsOpen = useSession((s) => s.shortcutsOpen);
  useEffect(() => {
    document.title = route.page === 'home' ? 'Tally' : 'Tally — project';
  }, [route.page]);
  return (
    <>
      {route.page === 'home' ? <HomePage /> : <ProjectPage />}
      {shortcutsOpen && <ShortcutsDialog />}
      {route.page === 'home' && <Notices className="notices-page" />}
      <UpdatePrompt />
    </>
  );
}
