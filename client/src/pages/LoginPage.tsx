// Sign-in page: email + password, clear messages for wrong credentials (401) and throttling (429, Retry-After).
// Must never store credentials or tokens in web storage and must never reveal whether an email exists.
import { useRef, useState, type FormEvent } from 'react';
import type { SessionUser } from '../../../shared/src/index.js';
import { api, ApiRequestError } from '../api/client.js';
import { Logo } from '../components/Logo.js';

function humanizeSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export function loginErrorMessage(err: unknown): string {
  if (!(err instanceof ApiRequestError)) return 'Something went wrong. Please try again.';
  if (err.status === 401) return 'Wrong email or password';
  if (err.status === 429) {
    return err.retryAfterSeconds
      ? `Too many attempts, try again in ${humanizeSeconds(err.retryAfterSeconds)}`
      : 'Too many attempts, try again in a few minutes';
  }
  return err.message;
}

export function LoginPage(props: { onLoggedIn(user: SessionUser): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (submitting) return;
    if (!email.trim() || !password) {
      setError('Enter your email and password');
      return;
    }
    setError(null);
    setSubmitting(true);
    try {
      const res = await api.login({ email: email.trim(), password });
      props.onLoggedIn(res.user);
    } catch (err) {
      setError(loginErrorMessage(err));
      setPassword('');
      passwordRef.current?.focus();
      setSubmitting(false);
    }
  }

  return (
    <div className="login">
      <form className="login-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="login-title">
        <div className="login-brand">
          <Logo size={36} />
          <span>Parley</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Your team’s click-to-chat inbox.</p>
        <label className="field">
          <span className="field-label">Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            disabled={submitting}
            aria-invalid={error ? true : undefined}
            autoFocus
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            ref={passwordRef}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={submitting}
            aria-invalid={error ? true : undefined}
          />
        </label>
        {error ? (
          <div className="form-error" role="alert" data-testid="login-error">
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
