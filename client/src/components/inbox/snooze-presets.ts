// Snooze-until presets (in the agent's local time): in 1 hour, tonight 20:00 (while it is still ahead), tomorrow
// 9:00, next Monday 9:00. Pure: no clock of its own (callers pass now). Must never offer a time in the past.
export interface SnoozePreset {
  key: string;
  label: string;
  at: Date;
}

export function snoozePresets(now: Date): SnoozePreset[] {
  const at = (days: number, hour: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(hour, 0, 0, 0);
    return d;
  };
  const presets: SnoozePreset[] = [{ key: '1h', label: 'In 1 hour', at: new Date(now.getTime() + 3_600_000) }];
  const tonight = at(0, 20);
  if (tonight.getTime() - now.getTime() > 30 * 60_000) presets.push({ key: 'tonight', label: 'Tonight', at: tonight });
  presets.push({ key: 'tomorrow', label: 'Tomorrow 9:00', at: at(1, 9) });
  const toMonday = (8 - now.getDay()) % 7 || 7;
  presets.push({ key: 'week', label: 'Next week', at: at(toMonday, 9) });
  return presets;
}

/** A `datetime-local` input value for a date, in local time. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
