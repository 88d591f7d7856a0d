// The console root: probes the session on load, shows the login page or the logged-in shell, owns logout and
// every way a session can end (401 from the API, session:ended / unauthorized from the socket). Must never store
// the session, the CSRF token or user data in web storage; the httpOnly cookie is the session.
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { SessionUser } from '../../shared/src/index.js';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/client.js';
import type { SessionEndReason } from './api/socket.js';
import { Shell } from './components/Shell.js';
import { Toasts } from './components/Toasts.js';
import { currentPath, navigate } from './hooks/useHashRoute.js';
import { LiveConnectionProvider } from './hooks/useLiveConnection.js';
import { ROLE_LABELS, sectionOf } from './nav.js';
import { LoginPage } from './pages/LoginPage.js';
import { showToast } from './toast-store.js';

type Session =
  | { status: 'loading' }
  | { status: 'unreachable' }
  | { status: 'anonymous' }
  | { status: 'authenticated'; user: SessionUser; epoch: number };

const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  logout: 'You were signed out from another window.',
  deactivated: 'Your account was deactivated. Contact an administrator if this is unexpected.',
  password_changed: 'Your password was changed. Please sign in with the new password.',
  role_changed: 'Your role was changed. Please sign in again.',
  unauthorized: 'Your session has ended. Please sign in again.',
};

let epochCounter = 0;
function authenticated(user: SessionUser): Session {
  epochCounter += 1;
  return { status: 'authenticated', user, epoch: epochCounter };
}

export function App() {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [probe, setProbe] = useState(0);
  const [loggingOut, setLoggingOut] = useState(false);
  const loggingOutRef = useRef(false);
  const signedInRef = useRef(false);

  useEffect(() => {
    signedInRef.current = session.status === 'authenticated';
  }, [session.status]);

  useEffect(() => {
    let cancelled = false;
    api.me({ quiet: true }).then(
      (res) => !cancelled && setSession(res ? authenticated(res.user) : { status: 'anonymous' }),
      () => !cancelled && setSession({ status: 'unreachable' }),
    );
    return () => {
      cancelled = true;
    };
  }, [probe]);

  function endSession(message: string): void {
    setCsrfToken(null);
    if (signedInRef.current) showToast('info', message);
    signedInRef.current = false;
    setSession({ status: 'anonymous' });
  }

  const onUnauthorized = useEffectEvent(() => endSession(SESSION_END_MESSAGES.unauthorized));
  useEffect(() => {
    setUnauthorizedHandler(() => onUnauthorized());
    return () => setUnauthorizedHandler(null);
  }, []);

  async function handleSessionEnded(reason: SessionEndReason): Promise<void> {
    if (loggingOutRef.current) return;
    if (reason === 'role_changed') {
      const me = await api.me({ quiet: true }).catch(() => null);
      if (me) {
        setSession(authenticated(me.user));
        showToast('info', `Your role was changed to ${ROLE_LABELS[me.user.role]}.`);
        return;
      }
    }
    endSession(SESSION_END_MESSAGES[reason]);
  }

  async function handleLogout(): Promise<void> {
    loggingOutRef.current = true;
    setLoggingOut(true);
    try {
      await api.logout();
      setCsrfToken(null);
      setSession({ status: 'anonymous' });
      navigate('/', true);
    } catch {
      // The API client already showed the error; the user stays signed in.
    } finally {
      loggingOutRef.current = false;
      setLoggingOut(false);
    }
  }

  let body;
  if (session.status === 'loading') {
    body = (
      <div className="boot" role="status">
        <span className="spinner" aria-hidden="true" /> Loading Parley…
      </div>
    );
  } else if (session.status === 'unreachable') {
    body = (
      <div className="boot" role="alert">
        <p>Cannot reach the server.</p>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setSession({ status: 'loading' });
            setProbe((p) => p + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  } else if (session.status === 'anonymous') {
    body = (
      <LoginPage
        onLoggedIn={(user) => {
          // Keep a deep link across sign-in, unless it points where this user may not go (e.g. after a switch of user).
          if (!sectionOf(currentPath())?.allowed(user.role)) navigate('/', true);
          setSession(authenticated(user));
        }}
      />
    );
  } else {
    body = (
      <LiveConnectionProvider
        key={`${session.user.id}:${session.epoch}`}
        onSessionEnded={(reason) => void handleSessionEnded(reason)}
      >
        <Shell user={session.user} loggingOut={loggingOut} onLogout={() => void handleLogout()} />
      </LiveConnectionProvider>
    );
  }

  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
