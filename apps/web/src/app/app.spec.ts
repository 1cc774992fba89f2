import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { createPage, settled } from '../testing';
import { App } from './app';

describe('the header menu on phones', () => {
  async function openMenu() {
    const page = createPage(App);
    page.fixture.detectChanges();
    page.backend.match(() => true).forEach((request) => request.flush(null, { status: 401, statusText: 'Unauthorized' }));
    await settled(page.fixture);
    document.body.appendChild(page.el);
    const toggle = page.el.querySelector<HTMLButtonElement>('[data-testid="menu-toggle"]')!;
    toggle.click();
    page.fixture.detectChanges();
    const menu = page.el.querySelector<HTMLElement>('#site-menu')!;
    expect(menu.classList.contains('open')).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    return { ...page, toggle, menu, isOpen: () => (page.fixture.detectChanges(), menu.classList.contains('open')) };
  }
  afterEach(() => document.body.replaceChildren());

  it('stays open on a click inside it, and closes on a click outside it', async () => {
    const { menu, el, isOpen } = await openMenu();
    menu.querySelector('nav')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(isOpen()).toBe(true);
    el.querySelector<HTMLElement>('main, #main')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(isOpen()).toBe(false);
  });

  it('closes on Escape wherever the focus is, and gives the focus back to its button', async () => {
    const { toggle, isOpen } = await openMenu();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(isOpen()).toBe(false);
    expect(document.activeElement).toBe(toggle);
  });

  it('toggles closed from its own button, and closes on navigation', async () => {
    const first = await openMenu();
    first.toggle.click();
    expect(first.isOpen()).toBe(false);
    first.toggle.click();
    expect(first.isOpen()).toBe(true);
    await TestBed.inject(Router).navigateByUrl('/library');
    await settled(first.fixture);
    expect(first.isOpen()).toBe(false);
  });
});
