/* The search page (partials/search.html `box`), with Pagefind's JavaScript API.
 *
 * A hit is a group page ("Group 42 · January 2026 · <project>"); under it, the answers that
 * hold the words, each named by its question (`labels`: the titles are not in the index)
 * and opening the answer on the group's page, with the words marked.
 *
 * Safety: every value that comes from the index (titles, filter values, the groups' text)
 * and from the address (?q=, &semester=, &tool=) reaches the page as text (`textContent`,
 * `value`), never as HTML. The marked words are built from Pagefind's word positions into
 * <mark> elements; Pagefind's HTML excerpts are not used.
 *
 * State: the query and the filters live in the address (?q=dvc&semester=...&tool=...&docs=1).
 * Typing replaces the current history entry; choosing a filter or submitting adds one, so
 * the back button returns to the search as it was, and an address can be shared.
 *
 * Bytes: the first result needs Pagefind's code, its page table, the query's index chunks
 * and the first groups' fragments; the filters' counts are loaded after it.
 *
 * `data-ra-root` is the relative path from the page to the site root, so the site works
 * under any prefix (a GitHub Pages project site lives under /<repository>/).
 *
 * Indexes: `data-ra-indexes` lists the Pagefind indexes' folders from the site root
 * ("pagefind/", then "pagefind-2/"... when a large archive's records were split to bound
 * Pagefind's memory while building). The first is loaded; the others are merged into it
 * (`mergeIndex`): Pagefind then searches them all, and merges their results (by score) and
 * their filter counts. */
(function () {
  "use strict";
  var PAGE = 5; // groups shown at a time
  var SECTIONS = 3; // answers shown under a group
  var WINDOW = 28; // words of an excerpt
  var DOCS = "Documentation"; // the Source filter of the site's own pages
  var element = document.querySelector("[data-ra-search]");
  if (!element || !window.URLSearchParams) {
    return;
  }
  var rootPath = element.getAttribute("data-ra-root") || "./";
  var root = new URL(rootPath, window.location.href);
  var indexes = (element.getAttribute("data-ra-indexes") || "pagefind/").split(" ").filter(Boolean);
  var form = element.querySelector("form");
  var input = form.elements.namedItem("q");
  var semesterSelect = form.elements.namedItem("semester");
  var toolSelect = form.elements.namedItem("tool");
  var docsBox = form.elements.namedItem("docs");
  var docsRow = element.querySelector(".ra-search-docs");
  var status = element.querySelector(".ra-search-status");
  var list = element.querySelector(".ra-results");
  var more = element.querySelector(".ra-search-more");
  var labels = {};
  try {
    labels = JSON.parse(element.querySelector(".ra-search-labels").textContent) || {};
  } catch (e) {
    labels = {};
  }
  var loading = null;
  var totals = null;
  var run = 0;
  var hits = [];
  var shown = 0;
  var state = null;

  function pagefind() {
    if (!loading) {
      loading = import(new URL(indexes[0] + "pagefind.js", root).href).then(function (module) {
        return module.options({ noWorker: true }).then(function () {
          return Promise.all(indexes.slice(1).map(function (folder) {
            return module.mergeIndex(new URL(folder, root).pathname, {});
          }));
        }).then(function () {
          return module;
        });
      });
    }
    return loading;
  }

  // -- state and address ---------------------------------------------------------------

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    return {
      q: (params.get("q") || "").trim(),
      semester: params.get("semester") || "",
      tool: params.get("tool") || "",
      docs: params.get("docs") === "1",
      named: []
    };
  }

  function fromForm() {
    return {
      q: input.value.trim(),
      semester: semesterSelect.value,
      tool: toolSelect.value,
      docs: docsBox.checked,
      named: []
    };
  }

  function address(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    if (s.docs) {
      params.set("docs", "1");
    } else {
      if (s.semester) params.set("semester", s.semester);
      if (s.tool) params.set("tool", s.tool);
    }
    var query = params.toString();
    return query ? "?" + query : window.location.pathname.replace(/.*\//, "./");
  }

  function remember(s, push) {
    var target = address(s);
    if (new URL(target, window.location.href).href === window.location.href) return;
    if (push) {
      window.history.pushState(null, "", target);
    } else {
      window.history.replaceState(null, "", target);
    }
  }

  function choose(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.appendChild(option(value, value));
    }
    select.value = value;
  }

  function show(s) {
    if (input.value.trim() !== s.q) input.value = s.q;
    choose(semesterSelect, s.semester);
    choose(toolSelect, s.tool);
    docsBox.checked = s.docs;
    if (s.docs) docsRow.hidden = false;
    semesterSelect.disabled = toolSelect.disabled = s.docs;
  }

  function filters(s, without) {
    if (s.docs) return { Source: DOCS };
    var f = { not: { Source: DOCS } };
    if (s.semester && without !== "Semester") f.Semester = s.semester;
    if (s.tool && without !== "Tool") f.Tool = s.tool;
    return f;
  }

  // -- the DOM, built from text --------------------------------------------------------

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function option(value, text) {
    var node = document.createElement("option");
    node.value = value;
    node.textContent = text;
    return node;
  }

  function link(url, anchor) {
    var path = String(url || "").replace(/#.*$/, "").replace(/^\/+/, "");
    var href = rootPath + path;
    if (!/^\.{1,2}\//.test(href)) href = "./" + href;
    return anchor ? href + "#" + encodeURIComponent(anchor) : href;
  }

  function groups(n) {
    return n === 1 ? "1 group" : n + " groups";
  }

  // -- where the words are ---------------------------------------------------------------

  function terms(q) {
    return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (t) {
      return t.length > 4 ? t.replace(/(ing|ed|es|s)$/, "") : t;
    });
  }

  function norm(word) {
    return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function regions(data) {
    var anchors = (data.anchors || [])
      .filter(function (a) { return a.id; })
      .sort(function (a, b) { return a.location - b.location; });
    var out = [{ start: 0, end: anchors.length ? anchors[0].location : Infinity, anchor: null, hits: [] }];
    anchors.forEach(function (a, i) {
      var end = i + 1 < anchors.length ? anchors[i + 1].location : Infinity;
      out.push({ start: a.location, end: end, anchor: a, hits: [] });
    });
    (data.locations || []).forEach(function (at) {
      for (var i = out.length - 1; i >= 0; i--) {
        if (at >= out[i].start) {
          out[i].hits.push(at);
          break;
        }
      }
    });
    return out;
  }

  function matched(region, tokens, wanted) {
    var found = {};
    region.hits.forEach(function (at) {
      var word = norm(tokens[at] || "");
      wanted.forEach(function (t) {
        if (word.indexOf(t) === 0) found[t] = true;
      });
    });
    return Object.keys(found).length;
  }

  function excerpt(tokens, region) {
    var end = Math.min(region.end, tokens.length);
    var best = region.hits[0];
    var most = 0;
    region.hits.forEach(function (at) {
      var n = region.hits.filter(function (h) { return h >= at && h < at + WINDOW / 2; }).length;
      if (n > most) {
        most = n;
        best = at;
      }
    });
    var from = Math.max(region.start, best - 6);
    var to = Math.min(end, from + WINDOW);
    var marked = {};
    region.hits.forEach(function (at) { marked[at] = true; });
    var p = make("p", "ra-result-excerpt");
    if (from > region.start) p.appendChild(document.createTextNode("… "));
    for (var i = from; i < to; i++) {
      if (i > from) p.appendChild(document.createTextNode(" "));
      if (marked[i]) {
        p.appendChild(make("mark", "", tokens[i]));
      } else {
        p.appendChild(document.createTextNode(tokens[i]));
      }
    }
    if (to < end) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function result(data, s) {
    var tokens = String(data.content || "").split(/\s+/);
    var title = (data.meta && data.meta.title) ||
      (data.filters && data.filters.Question && data.filters.Question[0]) || data.raw_url;
    var item = make("li", "ra-result");
    var heading = make("h2", "ra-result-title");
    var a = make("a", "ra-result-link", title);
    a.href = link(data.raw_url || data.url);
    heading.appendChild(a);
    item.appendChild(heading);
    var parts = regions(data);
    var wanted = terms(s.q);
    var intro = parts[0];
    var used = (data.filters && data.filters.Tool) || [];
    if (parts.length > 1 && used.length) {
      // The tools it used that the search is about: chosen, named, or sharing its words.
      var names = used.filter(function (name) {
        return name === s.tool || s.named.indexOf(name) >= 0;
      });
      if (!names.length && intro.hits.length) {
        names = used.filter(function (name) {
          return words(name).some(function (w) {
            return wanted.some(function (t) { return w.indexOf(t) === 0; });
          });
        });
      }
      if (names.length) item.appendChild(make("p", "ra-result-tools", "Used " + names.join(", ")));
    } else if (parts.length === 1 && intro.hits.length) {
      item.appendChild(excerpt(tokens, intro));
    }
    var answers = parts.slice(1).filter(function (r) { return r.hits.length; });
    var ranked = answers.slice().sort(function (x, y) {
      return (matched(y, tokens, wanted) - matched(x, tokens, wanted)) || (y.hits.length - x.hits.length);
    }).slice(0, SECTIONS).sort(function (x, y) { return x.start - y.start; });
    if (ranked.length) {
      var sub = make("ul", "ra-result-answers");
      ranked.forEach(function (r) {
        var li = make("li", "ra-result-answer");
        var name = labels[r.anchor.id] || r.anchor.text || "Answer";
        var to = make("a", "ra-result-answer-link", name);
        to.href = link(data.raw_url || data.url, r.anchor.id);
        li.appendChild(to);
        li.appendChild(excerpt(tokens, r));
        sub.appendChild(li);
      });
      item.appendChild(sub);
    }
    if (answers.length > ranked.length) {
      var rest = answers.length - ranked.length;
      item.appendChild(make("p", "ra-result-more", rest === 1 ? "and 1 more answer" : "and " + rest + " more answers"));
    }
    return item;
  }

  // -- searching -----------------------------------------------------------------------

  function summary(s, count, tools, users) {
    if (s.docs) {
      var pages = count === 1 ? "1 documentation page holds" : count + " documentation pages hold";
      return s.q ? pages + " “" + s.q + "”." : pages.replace(/ holds?$/, "") + ".";
    }
    var text = count ? groups(count) : "No group";
    if (s.tool) text += " that used " + s.tool;
    if (s.semester) text += " in " + s.semester;
    text += s.q ? " wrote “" + s.q + "”." : ".";
    if (users && users < count) {
      text += (users === 1 ? " The one that used " : " The " + users + " that used ") +
        tools.join(" or ") + (users === 1 ? " comes first." : " come first.");
    }
    return text;
  }

  function showMore(id) {
    var batch = hits.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (h) { return h.data(); })).then(function (datas) {
      if (id !== run) return;
      datas.forEach(function (data) { list.appendChild(result(data, state)); });
      more.hidden = shown >= hits.length;
    });
  }

  function counts(select, values, current, empty) {
    var names = Object.keys(values || {}).filter(function (v) { return values[v] > 0 || v === current; });
    if (current && names.indexOf(current) < 0) names.push(current);
    names.sort(function (x, y) { return x.localeCompare(y); });
    select.textContent = "";
    select.appendChild(option("", empty));
    names.forEach(function (v) {
      select.appendChild(option(v, v + " (" + groups((values && values[v]) || 0) + ")"));
    });
    select.value = current;
  }

  function loadTotals(pf) {
    if (!totals) {
      totals = pf.filters().then(function (t) { return t || {}; });
    }
    return totals;
  }

  function facets(pf, s, t, id) {
    docsRow.hidden = !(s.docs || (t.Source && t.Source.Documentation));
    if (s.docs) return Promise.resolve();
    var query = s.q || null;
    return Promise.all([
      pf.search(query, { filters: filters(s, "Semester") }),
      pf.search(query, { filters: filters(s, "Tool") })
    ]).then(function (both) {
      if (id !== run) return;
      counts(semesterSelect, both[0].filters.Semester, s.semester, "Every semester");
      counts(toolSelect, both[1].filters.Tool, s.tool, "Any tool");
    });
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // The catalogue's tools the query names ("cloud run" names Cloud Run).
  function named(q, tools) {
    var said = " " + words(q).join(" ") + " ";
    return tools.filter(function (name) {
      var w = words(name);
      return w.length > 0 && said.indexOf(" " + w.join(" ") + " ") >= 0;
    });
  }

  function search(s) {
    var id = ++run;
    state = s;
    show(s);
    if (!s.q && !s.semester && !s.tool && !s.docs) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return pagefind().then(function (pf) {
      return loadTotals(pf).then(function (t) {
        var query = s.q || null;
        var tools = s.docs || s.tool ? [] : named(s.q, Object.keys(t.Tool || {}));
        s.named = tools;
        var preferred = filters(s);
        preferred.Tool = { any: tools };
        return Promise.all([
          pf.search(query, { filters: filters(s) }),
          tools.length ? pf.search(query, { filters: preferred }) : null
        ]).then(function (both) {
          if (id !== run) return null;
          // Groups that used a tool the query names come first (word weights alone cannot
          // put them there: common words such as "cloud" and "run" saturate), then the rest.
          var users = both[1] ? both[1].results : [];
          var seen = {};
          users.forEach(function (h) { seen[h.id] = true; });
          hits = users.concat(both[0].results.filter(function (h) { return !seen[h.id]; }));
          shown = 0;
          list.textContent = "";
          status.textContent = summary(s, hits.length, tools, users.length);
          return showMore(id).then(function () { return facets(pf, s, t, id); });
        });
      });
    }).catch(failed(id));
  }

  function failed(id) {
    return function (error) {
      if (id !== run) return;
      status.textContent = "The search failed: " + String((error && error.message) || error) + ".";
    };
  }

  // -- events ----------------------------------------------------------------------------

  var typing = null;
  input.addEventListener("input", function () {
    window.clearTimeout(typing);
    typing = window.setTimeout(function () {
      var s = fromForm();
      remember(s, false);
      search(s);
    }, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typing);
    var s = fromForm();
    remember(s, true);
    search(s);
  });
  [semesterSelect, toolSelect, docsBox].forEach(function (control) {
    control.addEventListener("change", function () {
      var s = fromForm();
      remember(s, true);
      search(s);
    });
  });
  more.addEventListener("click", function () {
    showMore(run).catch(failed(run));
  });
  window.addEventListener("popstate", function () {
    search(fromAddress());
  });
  search(fromAddress());
})();
