// Kernel-free toggles before the widget runtime, and the runtime only when a reader turns
// to a widget. Loaded `defer` on every page with saved widget views by book/_ext/lazy_widgets.py,
// whose tag names the page-relative URLs of the runtime (data-runtime, embed.js) and of the
// page's saved widget state (data-state, a script of its own so the first paint never waits
// for it).
//
// * The static copy of each view (.iomun-fallback, written by first_paint.py) has real
//   buttons: a click switches the pane from the saved widget state (the panes' markup, the
//   selectors' links to their stacks), as the live view would. The state is brought in once
//   the page has loaded and the browser is idle, or at the first touch of a static copy.
// * The runtime (1.9 MB) is requested on the first pointer, touch or focus on a static
//   view, or when one scrolls within a screen of the viewport after the reader scrolled;
//   never on page load, so evaluating it never delays the first paint or blocks the page.
// * Once its live view has rendered, each static copy hands over: the live view gets the
//   reader's choices and the focus, and the copy is hidden (until then the live view is).
(() => {
  const { runtime: RUNTIME, state: STATE_FILE } = document.currentScript.dataset;
  const FALLBACK = ".iomun-fallback";
  const CHOICE = ".iomun-fallback-choice";
  const STACK = "iomun-fallback-stack";
  const REPLACED = "iomun-replaced";
  const STATE_TYPE = "application/vnd.jupyter.widget-state+json";
  const REF = "IPY_MODEL_";
  const LINKS = new Set(["LinkModel", "DirectionalLinkModel"]);
  let models = null; // the saved models, once their file has run; the static copies change them
  let loading = null; // the promise of them
  let requested = false;
  let focused = null; // the static button that has the focus, if any

  // The state file sets window.iomunWidgetState; html-manager reads the state from a script
  // element of the page, so it goes back in as one (as saved, before any click changes it).
  function loadState() {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = STATE_FILE;
      script.onload = () => {
        const state = window.iomunWidgetState;
        const element = document.createElement("script");
        element.type = STATE_TYPE;
        element.textContent = JSON.stringify(state);
        document.body.append(element);
        models = state.state;
        resolve(models);
      };
      script.onerror = () => reject(new Error(`the saved widget state ${STATE_FILE} did not load`));
      document.head.append(script);
    });
    return loading;
  }
  const unref = (ref) => ref.slice(REF.length);

  // The same markup as first_paint.render_model for what sits inside a stack.
  function render(id) {
    const model = models[id];
    const state = model.state;
    if (model.model_name === "HTMLModel") return state.value || "";
    if (model.model_name === "StackModel") {
      const index = state.selected_index;
      const child = index == null ? "" : render(unref(state.children[index]));
      return `<div class="${STACK}" data-model="${id}" data-index="${index ?? ""}">${child}</div>`;
    }
    if (/^[HV]?BoxModel$/.test(model.model_name)) {
      return state.children.map((ref) => render(unref(ref))).join("");
    }
    throw new Error(`no static rendering for ${model.model_name}`);
  }

  // Re-render the stacks whose shown child changed, outermost first (scope: a static
  // copy or a stack in it).
  function refresh(scope) {
    const stacks = [...scope.querySelectorAll(`.${STACK}`)]
      .filter((stack) => stack.parentElement.closest(`.${STACK}, ${FALLBACK}`) === scope);
    for (const stack of stacks) {
      const index = models[stack.dataset.model].state.selected_index;
      if (String(index ?? "") === stack.dataset.index) refresh(stack);
      else stack.outerHTML = render(stack.dataset.model);
    }
  }

  // The button shows as pressed at once, even while the saved state is still on its way.
  function press(button) {
    for (const other of button.closest(CHOICE).querySelectorAll("button")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
  }

  // The pane follows once the saved state is in: the selector's index, the stacks linked to it.
  function choose(button) {
    const selector = button.closest(CHOICE).dataset.model;
    const index = Number(button.dataset.index);
    models[selector].state.index = index;
    for (const link of Object.values(models)) {
      if (!LINKS.has(link.model_name)) continue;
      const [source, sourceName] = link.state.source;
      const [target, targetName] = link.state.target;
      if (unref(source) === selector && sourceName === "index") models[unref(target)].state[targetName] = index;
    }
    refresh(button.closest(FALLBACK));
  }

  function whenLoaded(callback) {
    if (document.readyState === "complete") callback();
    else window.addEventListener("load", callback, { once: true });
  }

  // html-manager renders the saved views from a `load` listener; the page has loaded by now,
  // so such a listener runs at once (the browser's own method is back once it has run).
  function requestRuntime() {
    if (requested) return;
    requested = true;
    whenLoaded(() => loadState().then(() => {
      const add = window.addEventListener;
      window.addEventListener = function (type, listener, options) {
        if (type !== "load") return add.call(this, type, listener, options);
        const event = new Event("load");
        setTimeout(() => (listener.handleEvent ? listener.handleEvent(event) : listener.call(window, event)));
      };
      const script = document.createElement("script");
      script.src = RUNTIME;
      script.onload = script.onerror = () => { window.addEventListener = add; };
      new MutationObserver(handOver).observe(document.body, { childList: true, subtree: true });
      document.head.append(script);
    }));
  }

  function liveGroups(fallback) {
    const live = fallback.nextElementSibling;
    if (!live?.classList.contains("widget-subarea")) return null;
    const groups = [...live.querySelectorAll(".widget-toggle-buttons")].map((g) => [...g.querySelectorAll("button")]);
    const rows = [...fallback.querySelectorAll(CHOICE)].map((r) => r.querySelectorAll("button").length);
    const ready = rows.length ? groups.length === rows.length && groups.every((g, i) => g.length === rows[i])
      : !!live.querySelector(".widget-html-content");
    return ready ? groups : null;
  }

  // Each static copy whose live view is complete: the reader's choices and focus move over.
  function handOver(_records, observer) {
    const waiting = [...document.querySelectorAll(`${FALLBACK}:not(.${REPLACED})`)];
    for (const fallback of waiting) {
      const groups = liveGroups(fallback);
      if (!groups) continue;
      const rows = [...fallback.querySelectorAll(CHOICE)];
      rows.forEach((row, g) => {
        const wanted = [...row.querySelectorAll("button")].findIndex((b) => b.getAttribute("aria-pressed") === "true");
        const button = groups[g][wanted];
        if (button && !button.classList.contains("mod-active")) button.click();
      });
      const hadFocus = focused && fallback.contains(focused);
      const focusAt = hadFocus && [rows.indexOf(focused.closest(CHOICE)), Number(focused.dataset.index)];
      fallback.classList.add(REPLACED);
      if (focusAt) groups[focusAt[0]]?.[focusAt[1]]?.focus();
    }
    if (waiting.every((fallback) => fallback.classList.contains(REPLACED))) observer.disconnect();
  }

  const onFallback = (event) => event.target instanceof Element && event.target.closest(FALLBACK);
  for (const type of ["pointerover", "pointerdown", "touchstart"]) {
    document.addEventListener(type, (event) => onFallback(event) && requestRuntime(), { passive: true });
  }
  document.addEventListener("focusin", (event) => {
    focused = onFallback(event) && event.target.matches("button") ? event.target : null;
    if (onFallback(event)) requestRuntime();
  });
  document.addEventListener("click", (event) => {
    const button = onFallback(event) && event.target.closest(`${CHOICE} button`);
    if (!button) return;
    press(button);
    loadState().then(() => choose(button));
    requestRuntime();
  });
  // The state, small beside the runtime, as soon as the page is loaded and the browser idle:
  // a static copy then switches at once on the first click.
  whenLoaded(() => (window.requestIdleCallback ?? setTimeout)(loadState));
  // A reader scrolling towards a widget: fetch the runtime a screen ahead of it.
  window.addEventListener("scroll", () => {
    const near = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      near.disconnect();
      requestRuntime();
    }, { rootMargin: "100% 0px" });
    document.querySelectorAll(FALLBACK).forEach((fallback) => near.observe(fallback));
  }, { once: true, passive: true });
})();
