// The signed-in user's alert settings (sound, desktop notifications), loaded from and saved to /api/users/me, and
// the browser's notification permission. Turning desktop notifications on asks the browser first (from the
// click) and is saved only when the browser allows them. Must never ask for permission without a click.
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../../shared/src/index.js';
import { settingsApi } from '../api/settings.js';
import { desktopPermission, requestDesktopPermission, type DesktopPermission } from '../alerts/desktop.js';

export interface AlertSettingsState {
  settings: AlertSettings;
  loaded: boolean;
  saving: boolean;
  permission: DesktopPermission;
  setSound(on: boolean): void;
  /** On: asks the browser (when it has not answered yet), then saves; off: saves. */
  setDesktop(on: boolean): Promise<void>;
}

export function useAlertSettings(enabled: boolean): AlertSettingsState {
  const [settings, setSettings] = useState<AlertSettings>(DEFAULT_ALERT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const [saving, setSaving] = useState(false);
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    settingsApi.get({ quiet: true }).then(
      (s) => {
        if (cancelled) return;
        setSettings(s.alerts);
        setLoaded(true);
      },
      () => !cancelled && setLoaded(true),
    );
    return () => {
      cancelled = true;
    };
  }, [enabled]);

  const save = useCallback(async (patch: Partial<AlertSettings>) => {
    let previous: AlertSettings | null = null;
    setSettings((s) => {
      previous = s;
      return { ...s, ...patch }; // shown at once; put back if the server refuses
    });
    setSaving(true);
    try {
      const s = await settingsApi.update({ alerts: patch });
      setSettings(s.alerts);
    } catch {
      // The API client showed the error; the setting goes back to what it was.
      if (previous) setSettings(previous);
    } finally {
      setSaving(false);
    }
  }, []);

  const setSound = useCallback((on: boolean) => void save({ sound: on }), [save]);
  const setDesktop = useCallback(
    async (on: boolean) => {
      if (!on) return save({ desktop: false });
      let p = desktopPermission();
      if (p === 'default') p = await requestDesktopPermission();
      setPermission(p);
      if (p === 'granted') await save({ desktop: true });
    },
    [save],
  );

  return { settings, loaded, saving, permission, setSound, setDesktop };
}
