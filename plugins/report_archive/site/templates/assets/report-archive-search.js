/* Starts Pagefind's UI in every element marked `data-ra-search` (partials/search.html).
 * A hit is a group ("Group 42 · January 2026"); under it, the answers that match, each
 * opening the answer on the group's page (Pagefind's sub-results).
 * `data-ra-root` is the relative path from the page to the site root, so the site works
 * under any prefix (GitHub Pages project sites live under /<repository>/).
 * A `?q=...` in the page's URL runs that search at once. */
(function () {
  "use strict";
  function start(element) {
    var root = new URL(element.getAttribute("data-ra-root") || "./", window.location.href);
    var ui = new PagefindUI({
      element: element,
      bundlePath: root.pathname + "pagefind/",
      baseUrl: root.pathname,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      pageSize: 5,
      excerptLength: 40,
      translations: { placeholder: "Search the answers (e.g. DVC, load testing, Cloud Run)" }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
  if (typeof PagefindUI === "undefined") {
    return;
  }
  document.querySelectorAll("[data-ra-search]").forEach(start);
})();
