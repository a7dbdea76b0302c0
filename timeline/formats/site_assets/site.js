/* Hindsight's web timeline: the claims as bars over the years, a date slider, and the facts in
   force on the chosen date. Everything it shows is in the page (the JSON in #hindsight-data,
   written by timeline/formats/site.py); it fetches nothing. Texts go into the page as text
   (textContent), never as HTML. Plain JavaScript, no library. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var data = JSON.parse(document.getElementById("hindsight-data").textContent);
  var moments = data.moments;
  var lo = data.range[0], hi = data.range[1];

  /* Day numbers as the engine counts them: 0 is 1970-01-01, proleptic Gregorian, year 0 is
     1 BCE (timeline/dates.py, day_parts and day_number). */
  function div(a, b) { return Math.floor(a / b); }

  function dayParts(day) {
    var z = day + 719468, era = div(z, 146097), doe = z - era * 146097;
    var yoe = div(doe - div(doe, 1460) + div(doe, 36524) - div(doe, 146096), 365);
    var doy = doe - (365 * yoe + div(yoe, 4) - div(yoe, 100));
    var mp = div(5 * doy + 2, 153), d = doy - div(153 * mp + 2, 5) + 1;
    var m = mp < 10 ? mp + 3 : mp - 9;
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }

  function dayNumber(year, month, day) {
    var y = month <= 2 ? year - 1 : year, era = div(y, 400), yoe = y - era * 400;
    var doy = div(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
    return era * 146097 + yoe * 365 + div(yoe, 4) - div(yoe, 100) + doy - 719468;
  }

  function yearWords(year) { return year <= 0 ? (1 - year) + " BCE" : String(year); }

  /* "30 November 2023", as timeline.datewords.human_date writes it. */
  function dayWords(day) {
    var p = dayParts(day);
    return p[2] + " " + MONTHS[p[1] - 1] + " " + yearWords(p[0]);
  }

  /* The index of the last moment on or before the day (the state shown for it). */
  function momentAt(day) {
    var a = 0, b = moments.length - 1;
    if (day < moments[0][0]) { return 0; }
    while (a < b) {
      var mid = div(a + b + 1, 2);
      if (moments[mid][0] <= day) { a = mid; } else { b = mid - 1; }
    }
    return a;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    return node;
  }

  /* --- the strip: one bar a claim, packed in lanes --------------------------------------- */

  var strip = document.getElementById("strip");
  var bars = [];  // [rect elements, claim id] per bar
  var cursor = null;
  var scale = null;

  function lanesOf(items, gap) {
    var ends = [], lane = [];
    items.forEach(function (bar, k) {
      var found = -1;
      for (var i = 0; i < ends.length; i++) {
        if (ends[i] + gap < bar[0]) { found = i; break; }
      }
      if (found < 0) { found = ends.length; ends.push(0); }
      ends[found] = Math.max(bar[3], bar[0] + gap);
      lane[k] = found;
    });
    return [lane, ends.length];
  }

  function yearStep(width) {
    var years = (hi - lo) / 365.2425, steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    for (var i = 0; i < steps.length; i++) {
      if (width / (years / steps[i]) >= 70) { return steps[i]; }
    }
    return 1000;
  }

  function drawStrip() {
    var width = Math.max(strip.clientWidth, 320);
    var order = data.bars.map(function (b, k) { return k; });
    order.sort(function (a, b) { return data.bars[a][0] - data.bars[b][0]; });
    var perPixel = (hi - lo) / width;
    var packed = lanesOf(order.map(function (k) { return data.bars[k]; }), perPixel * 3);
    var laneCount = Math.max(packed[1], 1);
    var laneHeight = Math.max(3, Math.min(9, Math.floor(220 / laneCount)));
    var top = 4, axis = 22, height = top + laneCount * laneHeight + axis;
    var x = function (day) { return (day - lo) / Math.max(hi - lo, 1) * (width - 2) + 1; };
    scale = { x: x, width: width };
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                            role: "img", "aria-label": "The claims as bars over the years" });
    var step = yearStep(width), first = dayParts(lo)[0], last = dayParts(hi)[0];
    for (var year = Math.ceil(first / step) * step; year <= last; year += step) {
      var at = x(dayNumber(year, 1, 1));
      if (at < 0 || at > width) { continue; }
      root.appendChild(svg("line", { x1: at, x2: at, y1: top, y2: height - axis + 4,
                                     "class": "tick" }));
      var label = svg("text", { x: at + 3, y: height - 6, "class": "year" });
      label.textContent = yearWords(year);
      root.appendChild(label);
    }
    bars = [];
    order.forEach(function (k, i) {
      var bar = data.bars[k], y = top + packed[0][i] * laneHeight;
      var h = Math.max(laneHeight - 1, 2);
      var group = svg("g", { "class": "bar" });
      var title = svg("title", {});
      title.textContent = bar[4];
      group.appendChild(title);
      var parts = [[bar[0], bar[1], "fuzzy"], [bar[1], bar[2], "sure"], [bar[2], bar[3], "fuzzy"]];
      parts.forEach(function (part) {
        if (part[1] > part[0]) {
          group.appendChild(svg("rect", { x: x(part[0]), y: y, height: h, "class": part[2],
                                          width: Math.max(x(part[1]) - x(part[0]), 1) }));
        }
      });
      if (bar[3] <= bar[0] || x(bar[3]) - x(bar[0]) < 2) {  // a day: a mark that can be seen
        group.appendChild(svg("rect", { x: x(bar[0]) - 1, y: y, width: 3, height: h,
                                        "class": "sure" }));
      }
      group.addEventListener("click", function (event) {
        event.stopPropagation();
        choose(Math.min(Math.max(bar[1], lo), hi));
      });
      root.appendChild(group);
      bars.push([group, bar[5]]);
    });
    cursor = svg("line", { x1: 0, x2: 0, y1: 0, y2: height - axis + 6, "class": "cursor" });
    root.appendChild(cursor);
    root.addEventListener("click", function (event) {
      var box = root.getBoundingClientRect();
      var day = lo + (event.clientX - box.left - 1) / (width - 2) * (hi - lo);
      choose(Math.round(Math.min(Math.max(day, lo), hi)));
    });
    strip.textContent = "";
    strip.appendChild(root);
  }

  /* --- the facts of a moment ------------------------------------------------------------- */

  function quoteList(quotes) {
    var list = el("ul", "quotes");
    quotes.forEach(function (q) {
      var source = data.sources[q[0]], item = el("li");
      item.appendChild(el("blockquote", null, "\u201c" + q[1] + "\u201d"));
      var cite = el("cite");
      var link = el("a", null, source.name);
      link.href = "sources.html#" + source.anchor;
      link.title = source.title;
      cite.appendChild(link);
      item.appendChild(cite);
      list.appendChild(item);
    });
    return list;
  }

  function factItem(details, status, statements) {
    var item = el("li", "fact status-" + status.toLowerCase());
    var head = el("p", "head");
    head.appendChild(el("span", "status", status));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "statement", details.statement));
    item.appendChild(head);
    var meta = ["valid " + details.valid, "certainty " + details.certainty];
    if (details.via) { meta.push(details.via); }
    item.appendChild(el("p", "meta", meta.join(" \u00b7 ")));
    if (details.disputed) {
      item.appendChild(el("p", "disputed", "Its accounts disagree: " + details.disputed));
    }
    var rivals = details.contested.map(function (id) { return statements[id]; })
      .filter(function (s) { return s; });
    if (rivals.length) {
      item.appendChild(el("p", "contested", "Contested by: " + rivals.join("; ")));
    }
    if (details.accounts.length) {
      var box = el("details", "accounts");
      box.appendChild(el("summary", null, details.accounts.length + " accounts"));
      var list = el("ul");
      details.accounts.forEach(function (a) {
        var entry = el("li");
        entry.appendChild(el("p", "meta", "valid " + a[0] + " \u00b7 " + a[1] +
                                          " \u00b7 certainty " + a[2]));
        if (a[3].length) { entry.appendChild(quoteList(a[3])); }
        list.appendChild(entry);
      });
      box.appendChild(list);
      item.appendChild(box);
    } else if (details.quotes.length) {
      item.appendChild(quoteList(details.quotes));
    }
    return item;
  }

  var slider = document.getElementById("day");
  var label = document.getElementById("day-label");
  var heading = document.getElementById("facts-heading");
  var note = document.getElementById("moment-note");
  var list = document.getElementById("fact-list");
  var shownMoment = -1;

  function show(day) {
    label.textContent = dayWords(day);
    if (cursor && scale) {
      var at = scale.x(day);
      cursor.setAttribute("x1", at);
      cursor.setAttribute("x2", at);
    }
    var index = momentAt(day);
    var moment = moments[index];
    heading.textContent = "Facts on " + dayWords(day) + " (" + moment[1].length + ")";
    var counts = {};
    moment[1].forEach(function (f) { counts[f[1]] = (counts[f[1]] || 0) + 1; });
    var tally = Object.keys(counts).map(function (s) { return counts[s] + " " + s; });
    note.textContent = (tally.length ? tally.join(", ") + ". " : "") +
      (moment[0] === day ? "The state changes on this day." :
       "The state since " + dayWords(moment[0]) + ", its last change before this date.");
    if (index === shownMoment) { return; }
    shownMoment = index;
    var statements = {}, on = {};
    moment[1].forEach(function (f) {
      var details = data.facts[f[0]];
      statements[details.id] = details.statement;
      on[details.id] = f[1].toLowerCase();
    });
    list.textContent = "";
    if (!moment[1].length) {
      list.appendChild(el("li", "empty", "Nothing is known to hold on this date."));
    }
    moment[1].forEach(function (f) {
      list.appendChild(factItem(data.facts[f[0]], f[1], statements));
    });
    bars.forEach(function (b) {
      var status = on[b[1]];
      b[0].setAttribute("class", status ? "bar on status-" + status : "bar");
    });
  }

  function choose(day) {
    slider.value = String(day);
    show(day);
  }

  function step(direction) {
    var day = Number(slider.value), index = momentAt(day);
    if (direction < 0) {
      index = moments[index][0] < day ? index : index - 1;
    } else {
      index = index + 1;
    }
    index = Math.max(0, Math.min(moments.length - 1, index));
    choose(Math.min(Math.max(moments[index][0], lo), hi));
  }

  slider.min = String(lo);
  slider.max = String(hi);
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  document.getElementById("previous").addEventListener("click", function () { step(-1); });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(function () { drawStrip(); shownMoment = -1; show(Number(slider.value)); },
                         100);
  });
  drawStrip();
  choose(Math.min(Math.max(data.open, lo), hi));

  window.hindsight = { data: data, show: show, choose: choose, dayWords: dayWords,
                       dayParts: dayParts, dayNumber: dayNumber, momentAt: momentAt };
}());
