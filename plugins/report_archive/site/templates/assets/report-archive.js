// The report archive's script, on every page: writes no HTML.

// A region that scrolls sideways (a wide table, a long line of code) can be reached and
// scrolled with the keyboard.
(() => {
  "use strict";
  const mark = () => {
    for (const region of document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code, .ra-scroll")) {
      if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
      }
    }
  };
  mark();
  // the theme builds its code blocks and table wrappers after this script has run
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => window.setTimeout(mark, 0));
  }
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
})();

// The tool filter of a semester page: shows the cards of the groups that used a tool.
// Reads only catalogue ids (data-ra-tools, the options' values).
(() => {
  "use strict";
  const box = document.querySelector("[data-ra-gallery-filter]");
  if (!box) return;
  const select = box.querySelector("select");
  const status = box.querySelector("[data-ra-gallery-status]");
  const cards = [...document.querySelectorAll("[data-ra-tools]")];
  const apply = () => {
    const id = select.value;
    let shown = 0;
    for (const card of cards) {
      const on = !id || card.dataset.raTools.split(" ").includes(id);
      card.hidden = !on;
      if (on) shown += 1;
    }
    status.textContent = id ? `${shown} of ${cards.length} groups` : "";
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("tool", id);
    else url.searchParams.delete("tool");
    window.history.replaceState(null, "", url);
  };
  const wanted = new URLSearchParams(window.location.search).get("tool");
  if (wanted && [...select.options].some((option) => option.value === wanted)) {
    select.value = wanted;
  }
  select.addEventListener("change", apply);
  box.hidden = false;
  apply();
})();
