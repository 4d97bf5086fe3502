/**
 * Keyboard focus after an action: a ref callback that focuses its element when it appears (a result
 * message after Save, the recording panel after Start), so focus never falls back to the page body.
 * Elements that are not focusable by themselves need `tabIndex={-1}`.
 */
export function focusOnMount(element: HTMLElement | null): void {
  element?.focus();
}

/**
 * After a change of screen: focuses the element marked `data-focus-first` in the main area, else the
 * screen's heading (made focusable for this), so a keyboard or screen-reader user starts at the new
 * screen, not at the navigation.
 */
export function focusScreenStart(main: HTMLElement | null): void {
  const target =
    main?.querySelector<HTMLElement>('[data-focus-first]') ?? main?.querySelector<HTMLElement>('h1') ?? null;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
}
