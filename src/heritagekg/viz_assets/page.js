/* heritagekg page script: draws the network (pyvis's drawGraph), then adds search, class
 * checkboxes, the details panel and the "stable" signal tests and benchmarks wait for.
 * Data comes from <script id="hkg-data">; every string is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hkg-data").textContent);
  var UI = {
    en: {
      search: "Find an entity by any name…", counts: "{n} entities · {m} relations",
      layout: "Laying out {n} entities… {p}%", classes: "Classes", names: "Names", alt: "also",
      sameAs: "Same as", facts: "Facts", relations: "Relations", mentioned: "Mentioned in",
      noEvidence: "no evidence sentence", reference: "reference source", confidence: "confidence",
      empty: "The graph is empty: it has no entities to draw.", noMatch: "No entity has this name",
      close: "Close", large: "large graph: laid out once, parallel edges merged"
    },
    zh: {
      search: "按任意名称查找实体…", counts: "{n} 个实体 · {m} 条关系",
      layout: "正在布局 {n} 个实体… {p}%", classes: "类别", names: "名称", alt: "别名",
      sameAs: "等同于", facts: "属性", relations: "关系", mentioned: "提及该实体的文章",
      noEvidence: "无证据句", reference: "参考来源", confidence: "置信度",
      empty: "图谱为空:没有可绘制的实体。", noMatch: "没有实体使用这个名称",
      close: "关闭", large: "大型图谱:只布局一次,合并平行边"
    }
  };
  var t = UI[(data.lang || "en").split("-")[0]] || UI.en;
  var hkg = window.hkg = { data: data, stable: false, stableMs: null, selected: null,
    timings: { script: performance.now() } };
  var $ = function (id) { return document.getElementById(id); };
  var classInfo = {};
  data.classes.forEach(function (c) { classInfo[c[0]] = { label: c[1], color: c[2], shape: c[3], count: c[4] }; });
  var ids = Object.keys(data.nodes);

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "cls") node.className = props[k];
      else if (k === "onclick") node.addEventListener("click", props[k]);
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  function labelOf(id) { return data.nodes[id] ? data.nodes[id][1] : (data.names[id] || id); }
  function wikidataPage(iri) {
    var m = /^https?:\/\/www\.wikidata\.org\/entity\/(Q\d+)$/.exec(iri);
    return m ? { id: m[1], url: "https://www.wikidata.org/wiki/" + m[1] } : null;
  }

  var SHAPES = {
    dot: '<circle cx="8" cy="8" r="6"/>',
    diamond: '<polygon points="8,1 15,8 8,15 1,8"/>',
    star: '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"/>',
    triangle: '<polygon points="8,1 15,14 1,14"/>',
    triangleDown: '<polygon points="1,2 15,2 8,15"/>',
    square: '<rect x="2" y="2" width="12" height="12"/>',
    hexagon: '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"/>'
  };
  function swatch(cls) {
    var info = classInfo[cls] || { color: "#ccc", shape: "dot" };
    var span = el("span");
    // fixed markup from SHAPES plus a colour we generated: no data text reaches innerHTML
    span.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" fill="' + info.color +
      '" stroke="#333" stroke-width="0.8">' + (SHAPES[info.shape] || SHAPES.dot) + "</svg>";
    return span.firstChild;
  }

  // --- draw ----------------------------------------------------------------------------------
  var network = drawGraph();
  hkg.network = network;
  hkg.timings.drawn = performance.now();
  $("hkg-title").textContent = data.title;
  $("hkg-search").placeholder = t.search;
  $("hkg-close").title = t.close;
  var relationCount = data.edgeRels.reduce(function (n, r) { return n + r.length; }, 0);
  function showCounts() {
    $("hkg-status").textContent = fmt(t.counts, { n: ids.length, m: relationCount }) +
      (data.large ? " · " + t.large : "");
  }
  function markStable() {
    var done = function () {
      hkg.stable = true;
      hkg.stableMs = performance.now();
      document.documentElement.setAttribute("data-stable", "true");
    };
    if (!ids.length) { done(); return; }
    network.once("afterDrawing", done);
    network.redraw();
  }
  showCounts();
  if (!ids.length) {
    $("hkg-empty").textContent = data.note || t.empty;
    $("hkg-empty").hidden = false;
    markStable();
  } else {
    // physics runs once, within a time budget: switching it off ends vis's stabilization loop
    var capped = false;
    network.on("stabilizationProgress", function (p) {
      $("hkg-status").textContent = fmt(t.layout, { n: ids.length, p: Math.round(100 * p.iterations / p.total) });
      if (!capped && performance.now() - hkg.timings.drawn > data.physicsBudgetMs) {
        capped = true;
        network.setOptions({ physics: { enabled: false } });
      }
    });
    network.once("stabilizationIterationsDone", function () {
      hkg.timings.iterations = performance.now();
      hkg.timings.capped = capped;
      // large graphs: physics has done its job once; keep the picture still and cheap.
      // small ones keep settling live when the budget cut them short.
      if (data.large) network.setOptions({ physics: { enabled: false } });
      else if (capped) network.setOptions({ physics: { enabled: true } });
      showCounts();
      markStable();
    });
  }

  // --- legend with class checkboxes ------------------------------------------------------------
  var idsByClass = {};
  ids.forEach(function (id) { (idsByClass[data.nodes[id][0]] = idsByClass[data.nodes[id][0]] || []).push(id); });
  $("hkg-legend-title").textContent = t.classes;
  function setClassVisible(cls, visible) {
    nodes.update((idsByClass[cls] || []).map(function (id) { return { id: id, hidden: !visible }; }));
  }
  data.classes.forEach(function (c) {
    var box = el("input", { type: "checkbox", "data-class": c[0] });
    box.checked = true;
    box.addEventListener("change", function () { setClassVisible(c[0], box.checked); });
    $("hkg-classes").appendChild(el("label", null,
      [box, swatch(c[0]), el("span", { text: c[1] }), el("span", { cls: "hkg-count", text: String(c[4]) })]));
  });
  if (!data.classes.length) $("hkg-legend").hidden = true;
  hkg.setClassVisible = function (cls, visible) {
    var box = document.querySelector('#hkg-classes input[data-class="' + cls + '"]');
    if (box) box.checked = visible;
    setClassVisible(cls, visible);
  };

  // --- search by any label -------------------------------------------------------------------
  var index = [];
  ids.forEach(function (id) {
    var seen = {};
    [labelOf(id)].concat(data.nodes[id][2].map(function (l) { return l[0]; })).forEach(function (text) {
      var key = norm(text);
      if (key && !seen[key]) { seen[key] = true; index.push([key, id, text]); }
    });
    index.push([norm(id), id, id]);
  });
  function search(query) {
    var q = norm(query), best = {}, matched = {};
    if (!q) return [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i], at = entry[0].indexOf(q);
      if (at < 0) continue;
      var score = entry[0] === q ? 0 : at === 0 ? 1 : 2;
      if (!(entry[1] in best) || score < best[entry[1]]) { best[entry[1]] = score; matched[entry[1]] = entry[2]; }
    }
    hkg.lastMatched = matched;
    return Object.keys(best).sort(function (a, b) {
      return best[a] - best[b] || labelOf(a).length - labelOf(b).length;
    });
  }
  hkg.search = search;
  var results = $("hkg-results"), active = -1, found = [];
  function showResults(list) {
    found = list.slice(0, 12);
    active = found.length ? 0 : -1;
    results.textContent = "";
    if (!list.length) {
      results.appendChild(el("li", { cls: "hkg-muted", text: t.noMatch }));
    }
    found.forEach(function (id, i) {
      var cls = data.nodes[id][0], shown = labelOf(id), via = hkg.lastMatched[id];
      var item = el("li", { role: "option", "data-id": id, cls: i === 0 ? "active" : "" }, [
        swatch(cls), el("span", { text: shown }),
        via && norm(via) !== norm(shown) && via !== id ? el("span", { cls: "hkg-muted", text: "(" + via + ")" }) : null,
        el("span", { cls: "hkg-muted", text: classInfo[cls] ? classInfo[cls].label : cls })
      ]);
      item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(id); });
      results.appendChild(item);
    });
    results.hidden = false;
  }
  function choose(id) {
    results.hidden = true;
    $("hkg-search").value = labelOf(id);
    select(id, true);
  }
  $("hkg-search").addEventListener("input", function () {
    var q = this.value;
    if (!norm(q)) { results.hidden = true; return; }
    showResults(search(q));
  });
  $("hkg-search").addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!found.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      Array.prototype.forEach.call(results.children, function (li, i) { li.className = i === active ? "active" : ""; });
      e.preventDefault();
    } else if (e.key === "Enter") {
      var list = found.length ? found : search(this.value);
      if (list.length) choose(list[Math.max(active, 0)]);
      e.preventDefault();
    } else if (e.key === "Escape") {
      results.hidden = true;
    }
  });
  $("hkg-search").addEventListener("blur", function () { results.hidden = true; });

  // --- selection and the details panel ---------------------------------------------------------
  function select(id, move) {
    if (!data.nodes[id]) return;
    var cls = data.nodes[id][0];
    var node = nodes.get(id);
    if (node && node.hidden) hkg.setClassVisible(cls, true);
    network.selectNodes([id]);
    if (move) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400 } });
    showNode(id);
  }
  hkg.select = select;

  function nodeRef(id) {
    if (!data.nodes[id]) return el("span", { text: labelOf(id) });
    return el("span", { cls: "hkg-link", text: labelOf(id), onclick: function () { select(id, true); } });
  }
  function evidenceBlock(evIds) {
    var box = el("div");
    if (!evIds.length) box.appendChild(el("div", { cls: "hkg-muted", text: t.noEvidence }));
    evIds.forEach(function (i) {
      var ev = data.ev[i], src = ev[2] === null ? null : data.src[ev[2]];
      if (ev[0]) box.appendChild(el("blockquote", { cls: "hkg-evidence", lang: ev[1] || "", text: ev[0] }));
      else box.appendChild(el("div", { cls: "hkg-muted", text: t.noEvidence }));
      var line = el("div", { cls: "hkg-source" });
      if (src) {
        var name = (src[4] ? "" : t.reference + ": ") + (src[1] || src[0]) + (src[3] ? " (" + src[3] + ")" : "");
        line.appendChild(document.createTextNode("— "));
        line.appendChild(src[2] ? el("a", { href: src[2], target: "_blank", rel: "noopener noreferrer", text: name })
          : el("span", { title: src[0], text: name }));
      }
      var meta = [];
      if (ev[3] !== null) meta.push(t.confidence + " " + ev[3]);
      if (ev[4]) meta.push(ev[4]);
      if (meta.length) line.appendChild(el("span", { cls: "hkg-muted", text: " · " + meta.join(" · ") }));
      box.appendChild(line);
    });
    return box;
  }
  function relationBlock(r, about) {
    var head = el("div", { cls: "hkg-rel-head" });
    if (r[3]) {
      head.appendChild(el("span", { text: r[1] + ": " }));
      head.appendChild(el("span", { lang: r[4] || "", text: r[2] }));
    } else if (r[0] === about) {
      head.appendChild(el("span", { text: "→ " + r[1] + " → " }));
      head.appendChild(nodeRef(r[2]));
    } else if (r[2] === about) {
      head.appendChild(nodeRef(r[0]));
      head.appendChild(el("span", { text: " → " + r[1] + " →" }));
    } else {
      head.appendChild(nodeRef(r[0]));
      head.appendChild(el("span", { text: " → " + r[1] + " → " }));
      head.appendChild(nodeRef(r[2]));
    }
    return el("div", { cls: "hkg-rel" }, [head, evidenceBlock(r[5])]);
  }
  function openPanel(children) {
    var body = $("hkg-panel-body");
    body.textContent = "";
    children.forEach(function (c) { if (c) body.appendChild(c); });
    $("hkg-panel").hidden = false;
    $("hkg-panel").scrollTop = 0;
  }
  function showNode(id) {
    var n = data.nodes[id], cls = n[0], info = classInfo[cls] || { label: cls, color: "#999" };
    hkg.selected = id;
    var parts = [el("h2", { text: n[1] })];
    var chip = el("span", { cls: "hkg-chip", text: info.label });
    chip.style.background = info.color;
    parts.push(chip, el("div", { cls: "hkg-iri", text: id }));
    if (n[2].length) {
      parts.push(el("h3", { text: t.names }));
      parts.push(el("ul", null, n[2].map(function (l) {
        return el("li", null, [el("span", { lang: l[1] || "", text: l[0] }),
          el("span", { cls: "hkg-muted", text: (l[1] ? " @" + l[1] : "") + (l[2] === "altLabel" ? " · " + t.alt : "") })]);
      })));
    }
    if (n[3].length) {
      parts.push(el("h3", { text: t.sameAs }));
      parts.push(el("ul", null, n[3].map(function (iri) {
        var wd = wikidataPage(iri);
        return el("li", null, [el("a", { href: wd ? wd.url : iri, target: "_blank", rel: "noopener noreferrer",
          cls: wd ? "hkg-wikidata" : "", text: wd ? "Wikidata " + wd.id : iri })]);
      })));
    }
    var factRels = n[5].filter(function (i) { return data.rels[i][3]; });
    var linkRels = n[5].filter(function (i) { return !data.rels[i][3]; });
    if (factRels.length) {
      parts.push(el("h3", { text: t.facts }));
      factRels.forEach(function (i) { parts.push(relationBlock(data.rels[i], id)); });
    }
    if (linkRels.length) {
      parts.push(el("h3", { text: t.relations }));
      linkRels.forEach(function (i) { parts.push(relationBlock(data.rels[i], id)); });
    }
    if (n[4].length) {
      parts.push(el("h3", { text: t.mentioned }));
      parts.push(el("ul", null, n[4].map(function (a) { return el("li", { title: a[0], text: a[1] }); })));
    }
    openPanel(parts);
  }
  function showEdge(edgeId) {
    var index = Number(String(edgeId).replace(/^e/, ""));
    var rels = data.edgeRels[index] || [];
    hkg.selected = edgeId;
    openPanel([el("h2", { text: rels.map(function (i) { return data.rels[i][1]; }).join(" · ") })]
      .concat(rels.map(function (i) { return relationBlock(data.rels[i], null); })));
  }
  function hidePanel() { $("hkg-panel").hidden = true; hkg.selected = null; }
  $("hkg-close").addEventListener("click", function () { network.unselectAll(); hidePanel(); });
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], false);
    else if (p.edges.length) showEdge(p.edges[0]);
    else hidePanel();
  });
})();
