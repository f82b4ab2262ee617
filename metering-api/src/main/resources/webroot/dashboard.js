// LabMeter dashboard: fleet overview and instrument page. Plain JS, no build step, no external files.
(function () {
  "use strict";
  var TEXT = window.LM_TEXT;
  var lang = localStorage.getItem("labmeter.lang") || (navigator.language || "en").slice(0, 2);
  if (!TEXT[lang]) lang = "en";
  var token = null;
  var fleet = null;            // last /api/v1/fleet answer
  var rows = {};               // id -> {tr, cells, data}
  var feedAbort = null;
  var $ = function (id) { return document.getElementById(id); };

  // ---- token: #token=... in the URL, kept in localStorage, never left in the address bar ----
  (function takeToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      localStorage.setItem("labmeter.token", decodeURIComponent(m[1]));
      var rest = location.hash.replace(/(^#|&)token=[^&]+/, "$1").replace(/^#&/, "#");
      history.replaceState(null, "", location.pathname + location.search + (rest === "#" ? "" : rest));
    }
    token = localStorage.getItem("labmeter.token");
  })();

  function headers() { return token ? { Authorization: "Bearer " + token } : {}; }

  function api(path) {
    return fetch(path, { headers: headers() }).then(function (r) {
      if (r.status === 401) { showSignin(); throw new Error("unauthorized"); }
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  function showSignin(rejected) {
    $("signin").hidden = false;
    $("signin-error").textContent = token ? t("signin.rejected") : "";
  }

  $("signin-form").addEventListener("submit", function (e) {
    e.preventDefault();
    token = $("token").value.trim();
    if (token) localStorage.setItem("labmeter.token", token);
    $("signin").hidden = true;
    $("token").value = "";
    start();
  });

  // ---- language ----
  function t(key, vars) {
    var s = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.replace("{" + k + "}", vars[k]); });
    return s;
  }
  function applyLang() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) { el.placeholder = t(el.getAttribute("data-i18n-placeholder")); });
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    document.title = t("title");
    setFeed(feedState);
    if (fleet) { Object.keys(rows).forEach(function (id) { paintRow(rows[id]); }); applyFilter(); }
    if (current) renderInstrument();
  }
  $("lang").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("labmeter.lang", lang);
    applyLang();
  });

  // ---- formatting ----
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function hm(ms) { var d = new Date(ms); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function dt(iso) { var d = new Date(iso); return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + hm(d); }
  function watts(w) {
    if (w === null || w === undefined) return "–";
    return w >= 10000 ? (w / 1000).toFixed(1) + " kW" : w >= 1000 ? (w / 1000).toFixed(2) + " kW" : w.toFixed(0) + " W";
  }
  function hours(h) { return h === null || h === undefined ? "–" : h.toFixed(1) + " h"; }
  function pct(x) { return x === null || x === undefined ? "–" : (x * 100).toFixed(0) + "%"; }
  function name(i) { return lang === "zh" && i.nameZh ? i.nameZh : i.name; }
  function esc(s) { return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
  function sparkPath(values, w, h) {
    var max = 0; values.forEach(function (v) { if (v !== null && v > max) max = v; });
    if (max <= 0) max = 1;
    var step = w / Math.max(1, values.length - 1), d = "", pen = false;
    values.forEach(function (v, k) {
      if (v === null) { pen = false; return; }
      d += (pen ? "L" : "M") + (k * step).toFixed(1) + " " + (h - 1 - (v / max) * (h - 3)).toFixed(1);
      pen = true;
    });
    return d;
  }

  // ---- fleet overview ----
  function loadFleet() {
    return api("/api/v1/fleet").then(function (f) {
      fleet = f;
      var body = $("rows"), seen = {};
      f.instruments.forEach(function (i) {
        seen[i.id] = true;
        var r = rows[i.id];
        if (!r) {
          var tr = document.createElement("tr");
          tr.dataset.id = i.id;
          tr.innerHTML = '<td><a></a><span class="sub"></span></td><td><span class="state"></span><span class="since"></span></td>' +
            '<td class="num"></td><td><svg class="spark" viewBox="0 0 140 26" preserveAspectRatio="none"><path/></svg></td>' +
            '<td class="num"></td><td class="num"></td><td class="num"></td><td></td>';
          r = rows[i.id] = { tr: tr, cells: tr.children };
        }
        r.data = i;
        body.appendChild(r.tr);
        paintRow(r);
      });
      Object.keys(rows).forEach(function (id) { if (!seen[id]) { rows[id].tr.remove(); delete rows[id]; } });
      applyFilter();
      paintCounts();
      if (!performance.getEntriesByName("labmeter:fleet-rendered").length) performance.mark("labmeter:fleet-rendered");
    });
  }

  function paintRow(r) {
    var i = r.data, c = r.cells;
    var a = c[0].firstChild;
    a.textContent = name(i); a.href = "#/i/" + encodeURIComponent(i.id);
    c[0].lastChild.textContent = i.id + (i.model ? " · " + i.model : "");
    c[3].firstChild.firstChild.setAttribute("d", sparkPath(i.sparkline, 140, 26));
    c[4].textContent = hours(i.today.activeHours) + " · " + pct(i.today.utilisation);
    c[5].textContent = hours(i.week.activeHours) + " · " + pct(i.week.utilisation);
    c[6].textContent = pct(i.week.evidenceCoverage);
    paintLive(r);
  }

  // only what the live feed changes: state, since, power, alerts
  function paintLive(r) {
    var i = r.data, c = r.cells, live = i.live;
    var st = c[1].firstChild, cls = "state " + live.state;
    if (st.className !== cls) st.className = cls;
    set(st, t("state." + live.state));
    set(c[1].lastChild, live.since ? t("since", { t: hm(Date.parse(live.since)) }) : "");
    set(c[2], watts(live.powerW));
    var html = i.alerts.map(function (al) {
      return '<span class="alert' + (al.code.indexOf("LOW_") === 0 ? " warn" : "") + '" title="' + esc(al.message) + '">' + esc(t("alert." + al.code)) + "</span>";
    }).join("");
    if (r.alertsHtml !== html) { c[7].innerHTML = html; r.alertsHtml = html; }
    r.tr.dataset.state = live.state;
    r.tr.dataset.alerts = i.alerts.length;
  }

  function set(el, text) { if (el.textContent !== text) el.textContent = text; }

  function paintCounts() {
    var n = { ACTIVE: 0, STANDBY: 0, OFF: 0, FAULT: 0, UNKNOWN: 0 }, total = 0, alerts = 0;
    Object.keys(rows).forEach(function (id) { var d = rows[id].data; n[d.live.state]++; total++; if (d.alerts.length) alerts++; });
    $("n-total").textContent = total; $("n-alerts").textContent = alerts;
    Object.keys(n).forEach(function (s) { $("n-" + s).textContent = n[s]; });
  }

  function applyFilter() {
    var q = $("search").value.trim().toLowerCase(), s = $("state-filter").value, only = $("alerts-only").checked, shown = 0;
    Object.keys(rows).forEach(function (id) {
      var d = rows[id].data;
      var hay = (d.id + " " + d.name + " " + (d.nameZh || "") + " " + (d.model || "") + " " + (d.assetNo || "")).toLowerCase();
      var show = (!q || hay.indexOf(q) >= 0) && (!s || d.live.state === s) && (!only || d.alerts.length > 0);
      rows[id].tr.hidden = !show;
      if (show) shown++;
    });
    $("shown").textContent = t("filter.shown", { n: shown, total: Object.keys(rows).length });
  }
  ["search", "state-filter", "alerts-only"].forEach(function (id) { $(id).addEventListener("input", applyFilter); });

  // ---- live feed: SSE read through fetch() so that the Authorization header goes with it ----
  var feedState = "connecting";
  function setFeed(s) {
    feedState = s;
    $("feed").dataset.state = s;
    $("feed").lastChild.textContent = t("feed." + s);
  }

  function applyLive(list, snapshot) {
    var changed = false;
    list.forEach(function (v) {
      var r = rows[v.id];
      if (!r) return;
      var live = r.data.live;
      live.state = v.state;
      live.since = v.since === null ? null : new Date(v.since).toISOString();
      live.powerW = v.powerW;
      live.lastSample = v.last === null ? null : new Date(v.last).toISOString();
      live.fresh = v.fresh;
      r.data.alerts = r.data.alerts.filter(function (a) { return a.code !== "STALE" && a.code !== "NO_DATA"; });
      if (v.last === null) r.data.alerts.unshift({ code: "NO_DATA", message: "no telemetry received" });
      else if (!v.fresh) r.data.alerts.unshift({ code: "STALE", message: "agent offline or data stale since " + live.lastSample });
      paintLive(r);
      changed = true;
      if (current && current.id === v.id) paintInstrumentLive(live);
    });
    if (changed) { paintCounts(); applyFilter(); }
  }

  function connectFeed() {
    if (feedAbort) feedAbort.abort();
    var ctl = feedAbort = new AbortController();
    setFeed("connecting");
    fetch("/api/v1/live", { headers: Object.assign({ Accept: "text/event-stream" }, headers()), signal: ctl.signal, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { showSignin(); throw new Error("unauthorized"); }
        if (!r.ok || !r.body) throw new Error("live feed: HTTP " + r.status);
        setFeed("live");
        var reader = r.body.getReader(), dec = new TextDecoder(), buf = "";
        function pump() {
          return reader.read().then(function (x) {
            if (x.done) throw new Error("live feed ended");
            buf += dec.decode(x.value, { stream: true });
            var k;
            while ((k = buf.indexOf("\n\n")) >= 0) {
              var block = buf.slice(0, k); buf = buf.slice(k + 2);
              var ev = "message", data = "";
              block.split("\n").forEach(function (line) {
                if (line.indexOf("event: ") === 0) ev = line.slice(7);
                else if (line.indexOf("data: ") === 0) data += line.slice(6);
              });
              if (data && (ev === "snapshot" || ev === "update")) applyLive(JSON.parse(data).instruments, ev === "snapshot");
            }
            return pump();
          });
        }
        return pump();
      })
      .catch(function (e) {
        if (ctl.signal.aborted || e.message === "unauthorized") return;
        setFeed("down");
        setTimeout(connectFeed, 3000);
      });
  }

  // a stream left open by a page being left would hold one of the browser's few connections to
  // this host; close it
  window.addEventListener("pagehide", function () { if (feedAbort) feedAbort.abort(); });

  // ---- instrument page ----
  var current = null; // {id, range: "day"|"week", date: "YYYY-MM-DD"}
  function todayUtc() { return new Date().toISOString().slice(0, 10); }
  function windowOf(c) {
    var from = new Date(c.date + "T00:00:00Z");
    if (c.range === "week") { var dow = (from.getUTCDay() + 6) % 7; from = new Date(from.getTime() - dow * 86400000); }
    var to = new Date(from.getTime() + (c.range === "week" ? 7 : 1) * 86400000);
    return { from: from, to: new Date(Math.min(to.getTime(), Date.now())) };
  }

  function paintInstrumentLive(live) {
    $("i-state").className = "state " + live.state;
    $("i-state").textContent = t("state." + live.state);
    $("i-power").textContent = watts(live.powerW);
  }

  function renderInstrument() {
    var c = current, w = windowOf(c), q = "?from=" + w.from.toISOString() + "&to=" + w.to.toISOString();
    var info = rows[c.id] && rows[c.id].data;
    $("i-name").textContent = info ? name(info) : c.id;
    $("i-meta").textContent = info ? [info.id, info.model, info.assetNo].filter(Boolean).join(" · ") : c.id;
    if (info) paintInstrumentLive(info.live);
    document.querySelectorAll("[data-range]").forEach(function (b) { b.classList.toggle("on", b.dataset.range === c.range); });
    $("i-date").value = c.date;
    $("i-window").textContent = dt(w.from.toISOString()) + " – " + dt(w.to.toISOString());
    var id = encodeURIComponent(c.id);
    Promise.all([
      api("/api/v1/instruments/" + id + "/usage" + q),
      api("/api/v1/instruments/" + id + "/attribution" + q).catch(function () { return null; }),
      Date.now() - w.from.getTime() <= 86400000 * 1.01 ? api("/api/v1/instruments/" + id + "/power?minutes=" +
        Math.max(1, Math.min(1440, Math.ceil((w.to - w.from) / 60000))) + "&points=300") : Promise.resolve(null)
    ]).then(function (all) {
      if (current !== c) return;
      var u = all[0], a = all[1], p = all[2];
      var tiles = [
        [t("i.active"), hours(u.hours.ACTIVE)], [t("i.verified"), hours(u.verifiedActiveHours)],
        [t("i.coverage"), pct(u.coverage)], [t("i.unknown"), hours(u.hours.UNKNOWN)]];
      if (a) tiles.push([t("i.effective"), hours(a.hours.effective)], [t("i.external"), hours(a.hours.external)], [t("i.unbooked"), hours(a.hours.unbookedActive)]);
      $("i-summary").innerHTML = tiles.map(function (x) { return '<div class="tile"><b>' + esc(x[1]) + "</b><span>" + esc(x[0]) + "</span></div>"; }).join("");
      drawChart(w, u, p);
      $("i-runs").innerHTML = u.sessions.map(function (s) {
        return "<tr><td>" + dt(s.start) + "</td><td>" + dt(s.end) + '</td><td class="num">' + s.activeHours.toFixed(2) + '</td><td class="num">' + pct(s.coverage) + "</td></tr>";
      }).join("") || '<tr><td colspan="4" class="muted">' + t("i.none") + "</td></tr>";
      var sessions = a ? a.sessions : [];
      $("i-sessions").innerHTML = sessions.map(function (s) {
        var notes = [];
        if (s.noShow) notes.push(t("noShow"));
        if (s.overrunMillis > 0) notes.push(t("overrun", { m: Math.round(s.overrunMillis / 60000) }));
        if (s.clipped) notes.push(t("clipped"));
        return "<tr><td>" + esc(s.id) + "</td><td>" + esc(s.user) + "</td><td>" + esc(s.kind) + "</td><td>" + dt(s.start) + "</td><td>" + dt(s.end) +
          '</td><td class="num">' + s.attributedActiveHours.toFixed(2) + '</td><td class="num">' + s.effectiveHours.toFixed(2) +
          '</td><td><span class="grade ' + s.grade + '">' + s.grade + "</span></td><td>" + esc(notes.join(", ")) + "</td></tr>";
      }).join("") || '<tr><td colspan="9" class="muted">' + t("i.none") + "</td></tr>";
      $("i-gaps").innerHTML = u.evidenceGaps.length ? u.evidenceGaps.map(function (g) { return "<li>" + dt(g.start) + " – " + dt(g.end) + "</li>"; }).join("") : "<li>" + t("i.noGaps") + "</li>";
    }).catch(function (e) { if (e.message !== "unauthorized") $("i-window").textContent = e.message; });
  }

  function drawChart(w, u, p) {
    var svg = $("i-chart"), from = w.from.getTime(), span = Math.max(1, w.to.getTime() - from), out = "";
    function x(ms) { return ((ms - from) / span * 1000).toFixed(1); }
    u.sessions.forEach(function (s) {
      var a = Math.max(from, Date.parse(s.start)), b = Math.min(from + span, Date.parse(s.end));
      if (b > a) out += '<rect class="active" x="' + x(a) + '" y="0" width="' + (x(b) - x(a)) + '" height="160"/>';
    });
    u.evidenceGaps.forEach(function (g) {
      var a = Math.max(from, Date.parse(g.start)), b = Math.min(from + span, Date.parse(g.end));
      if (b > a) out += '<rect class="gap" x="' + x(a) + '" y="150" width="' + Math.max(1, x(b) - x(a)) + '" height="10"/>';
    });
    if (p) {
      var pf = Date.parse(p.from), pt = Date.parse(p.to), n = p.watts.length;
      var max = 0; p.watts.forEach(function (v) { if (v !== null && v > max) max = v; });
      var d = "", pen = false;
      p.watts.forEach(function (v, k) {
        if (v === null) { pen = false; return; }
        var ms = pf + (k + 0.5) * (pt - pf) / n;
        d += (pen ? "L" : "M") + x(ms) + " " + (155 - v / (max || 1) * 145).toFixed(1);
        pen = true;
      });
      out += '<path class="line" d="' + d + '"/>';
    }
    svg.innerHTML = out;
    $("i-chart-from").textContent = dt(w.from.toISOString()) + (p ? "" : " · " + t("i.noPower"));
    $("i-chart-to").textContent = dt(w.to.toISOString());
  }

  document.querySelectorAll("[data-range]").forEach(function (b) {
    b.addEventListener("click", function () { location.hash = "#/i/" + encodeURIComponent(current.id) + "/" + b.dataset.range + "/" + current.date; });
  });
  $("i-date").addEventListener("change", function () {
    if ($("i-date").value) location.hash = "#/i/" + encodeURIComponent(current.id) + "/" + current.range + "/" + $("i-date").value;
  });

  // ---- routing: #/ (fleet) or #/i/<id>[/<day|week>/<date>] ----
  function route() {
    var m = /^#\/i\/([^/]+)(?:\/(day|week)\/(\d{4}-\d{2}-\d{2}))?/.exec(location.hash);
    $("fleet-view").hidden = !!m;
    $("instrument-view").hidden = !m;
    if (m) {
      current = { id: decodeURIComponent(m[1]), range: m[2] || "day", date: m[3] || todayUtc() };
      renderInstrument();
    } else {
      current = null;
    }
  }
  window.addEventListener("hashchange", route);

  function tick() { $("clock").textContent = new Date().toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { hour12: false }); }

  function start() {
    loadFleet().then(function () { if (current) renderInstrument(); }).then(connectFeed).catch(function (e) { if (e.message !== "unauthorized") setFeed("down"); });
  }

  applyLang();
  route();
  tick();
  setInterval(tick, 1000);
  // the ledger part (hours, coverage, sparklines) is re-read every minute; live state comes over the feed
  setInterval(function () { if (fleet && token !== undefined) loadFleet().catch(function () {}); }, 60000);
  start();
})();
