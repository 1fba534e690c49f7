// Whether a page fits its width (every-page.spec.ts, the phone specs): how far it scrolls sideways, what
// scrolls inside a box that should wrap instead, and which values of a table stacked into cards on a phone
// have no column name.
import type { Page } from "@playwright/test";

/** How far the page scrolls sideways, and the widest elements that stick out (to say what to fix). */
export async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 50)}`;
    const visible = (el: Element) => el.getClientRects().length > 0;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && visible(el) && !clipped(el))
      .slice(0, 3)
      .map(name);
    // What a reader must scroll sideways inside a box: only a wide table (not one that stacks into cards), code
    // and the editor may; badges, lists and logs must wrap.
    const scroller = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== "visible") return a;
      return null;
    };
    const mayScroll = (box: Element) =>
      box.matches("pre, code, .monaco-editor, .monaco-editor *, .monaco-diff-editor *, .recharts-wrapper *") ||
      (box.querySelector(":scope > table") !== null && box.querySelector(":scope > table[data-stack]") === null);
    // Visually hidden (sr-only: a stacked table's header row on a phone) is not something a reader scrolls to.
    const hidden = (el: Element) => {
      for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if ((cs.clip && cs.clip !== "auto") || (cs.overflow === "hidden" && a.getBoundingClientRect().width <= 1))
          return true;
      }
      return false;
    };
    const inBoxes = [...document.querySelectorAll("body *")]
      .filter((el) => {
        if (el.getBoundingClientRect().right <= width + 1 || !visible(el) || hidden(el)) return false;
        const box = scroller(el);
        return (
          box !== null && !mayScroll(box) && !el.closest("pre, .monaco-editor, .monaco-diff-editor, [aria-hidden=true]")
        );
      })
      .slice(0, 3)
      .map((el) => `${name(el)} (right ${Math.round(el.getBoundingClientRect().right)} px)`);
    // A table that stacks into cards on a phone names each value (every cell after the row's first; a table
    // nested in a cell is its own).
    const unlabelled = [
      ...document.querySelectorAll("table[data-stack] tbody tr > td:not(:first-child):not([data-label])"),
    ]
      .filter((el) => visible(el) && el.closest("table")?.hasAttribute("data-stack"))
      .slice(0, 3)
      .map(
        (el) =>
          `${el.closest("table")?.querySelector("caption")?.textContent ?? "a table"}: “${el.textContent?.slice(0, 30)}”`,
      );
    return { scrollWidth: document.scrollingElement!.scrollWidth, width, wide, inBoxes, unlabelled };
  });
}
