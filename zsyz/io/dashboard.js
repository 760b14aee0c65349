/* zsyz 驾驶舱: renders the embedded JSON (the CLI's own figures) with ECharts, offline.
   Every text is set through textContent: names come from spreadsheets. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("zsyz-data").textContent);
  var COLORS = { done: "#2e7d32", on_track: "#1565c0", behind: "#e0a100", far_behind: "#c62828" };
  var BAND_LABEL = {
    done: "各项目标均已完成",
    on_track: "达到序时进度",
    behind: "落后序时 " + D.bands.yellow + "–" + D.bands.red + " 个百分点",
    far_behind: "落后序时 " + D.bands.red + " 个百分点以上"
  };
  var charts = [];
  var currentGroup = null;
  var unitIndex = {};
  D.units.forEach(function (u, i) { unitIndex[u.unit] = "u-" + (i + 1); });

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined) return;
        if (k === "text") el.textContent = v;
        else if (k === "cls") el.className = v;
        else el.setAttribute(k, v);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }
  function num(v) {
    if (v === null || v === undefined) return "—";
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  }
  function pct(r) {
    if (r === null || r === undefined) return "—";
    return (Math.round(Number(r) * 10000) / 100).toFixed(2) + "%";
  }
  function pct1(r) { return (Math.round(Number(r) * 1000) / 10).toFixed(1) + "%"; }
  function bandOf(c) {
    if (c === null || c === undefined) return "none";
    if (c >= 1) return "done";
    var behind = (D.schedule - c) * 100;
    if (behind < D.bands.yellow) return "on_track";
    return behind > D.bands.red ? "far_behind" : "behind";
  }
  function groupLabel(g) { return D.groups[g] || g; }
  function move(r) {
    if (r.previous_rank === null || r.previous_rank === undefined) return h("span", { cls: "new", text: "新进" });
    var d = r.previous_rank - r.rank;
    if (d > 0) return h("span", { cls: "up", text: "↑" + d });
    if (d < 0) return h("span", { cls: "down", text: "↓" + (-d) });
    return h("span", { text: "持平" });
  }
  function unitLink(name) {
    var id = unitIndex[name];
    return id ? h("a", { href: "#" + id, text: name }) : h("span", { text: name });
  }
  function section(title, hint) {
    return h("section", { cls: "card" }, h("h2", { text: title }, hint ? h("small", { text: hint }) : null));
  }
  function chartBox(id, height) {
    return h("div", { cls: "chart", id: id, style: "height:" + height + "px" });
  }
  function plot(el, option) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.animation = false;
    option.textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  function table(cols, rows) {
    var head = h("tr");
    cols.forEach(function (c) { head.appendChild(h("th", { cls: c.num ? "num" : c.cls, text: c.label })); });
    var body = h("tbody");
    rows.forEach(function (r) { body.appendChild(r); });
    return h("div", { cls: "scroll" }, h("table", null, h("thead", null, head), body));
  }
  function td(text, cls, attrs) {
    var a = attrs || {};
    a.cls = cls;
    if (typeof text === "string" || typeof text === "number") a.text = String(text);
    var el = h("td", a);
    if (text && typeof text === "object") el.appendChild(text);
    return el;
  }

  // ---- headline and KPI cards ------------------------------------------------------
  function headline() {
    var k = {};
    D.kpis.forEach(function (c) { k[c.key] = c; });
    var counts = { done: 0, on_track: 0, behind: 0, far_behind: 0 };
    D.units.forEach(function (u) { if (u.rank !== null) counts[u.band] += 1; });
    var red = D.alerts.filter(function (a) { return a.level === "red"; }).length;
    var yellow = D.alerts.length - red;
    var ranked = D.rank.length;
    var text = "截至 " + D.period.end + "，序时进度 " + pct1(D.schedule) + "。";
    if (D.scope === "county") {
      text += "年累计签约 " + num(k.signed.ytd) + " 个（总投资 " + num(k.signed.ytd_total) + " 万元）、开工 " +
        num(k.started.ytd) + " 个、投产 " + num(k.producing.ytd) + " 个，到位资金 " + num(k.funds.ytd) + " 万元。" +
        "参加排名的 " + ranked + " 个单位中：已完成 " + counts.done + " 个，达到序时 " + counts.on_track +
        " 个，落后 " + counts.behind + " 个，严重落后 " + counts.far_behind + " 个。";
    } else {
      var u = D.units[0];
      text += u.unit + "：" + (u.rank ? groupLabel(u.group) + "第 " + u.rank + " 名（共 " + ranked + " 个），得分 " +
        num(u.score) + "，" : "") + "加权完成率 " + pct(u.completion) + "，" + BAND_LABEL[u.band] + "。";
    }
    text += "预警：红色 " + red + " 条，黄色 " + yellow + " 条。";
    return h("p", { cls: "lead", id: "headline", text: text });
  }
  function kpiCard(key, label, ytd, unitText, lines, completion, attrs) {
    var b = bandOf(completion);
    var card = h("div", { cls: "card kpi band-" + b, "data-kpi": key });
    card.appendChild(h("div", { cls: "label", text: label }));
    card.appendChild(h("div", { cls: "ytd", "data-value": ytd === null ? "" : String(ytd) },
      num(ytd), h("small", { text: unitText })));
    if (completion !== null && completion !== undefined) {
      var w = Math.max(0, Math.min(1, completion)) * 100;
      card.appendChild(h("div", { cls: "bar", title: "完成率与序时进度" },
        h("i", { style: "width:" + w + "%;background:" + (COLORS[b] || "#999") }),
        h("b", { style: "left:" + (D.schedule * 100) + "%" })));
    }
    lines.forEach(function (l) { card.appendChild(h("div", { cls: "row", text: l })); });
    Object.keys(attrs || {}).forEach(function (a) { card.setAttribute(a, attrs[a]); });
    return card;
  }
  function countyCards() {
    var box = h("div", { cls: "kpis", id: "kpis" });
    D.kpis.forEach(function (c) {
      var money = c.key === "funds";
      var lines = [
        "本期 " + num(c.period) + (money ? " 万元" : " 个，总投资 " + num(c.period_total) + " 万元"),
        money ? "年累计（" + D.period.end.slice(0, 4) + " 年 1 月 1 日起）" : "年累计总投资 " + num(c.ytd_total) + " 万元",
        c.target === null ? "全县目标：未设" :
          "全县目标 " + num(c.target) + (money ? " 万元" : " 个") + "，完成 " + pct(c.completion) +
          "（序时 " + pct1(D.schedule) + "）"
      ];
      var label = money ? "到位资金" : c.label;
      box.appendChild(kpiCard(c.key, label + "（年累计）", c.ytd, money ? "万元" : "个", lines, c.completion,
        { "data-period": String(c.period), "data-target": c.target === null ? "" : String(c.target) }));
    });
    return box;
  }
  function unitCards() {
    var box = h("div", { cls: "kpis", id: "kpis" });
    D.progress[0].targets.forEach(function (t, i) {
      box.appendChild(kpiCard("target-" + i, t.target, t.achieved, "", [
        "目标 " + num(t.required) + "，完成 " + pct(t.completion) + (t.complete ? "（已完成）" : ""),
        "序时进度 " + pct1(D.schedule)
      ], t.completion, { "data-required": String(t.required) }));
    });
    return box;
  }

  // ---- completion by unit, ranking --------------------------------------------------
  function completionChart(parent) {
    var groups = [];
    D.units.forEach(function (u) { if (groups.indexOf(u.group) < 0) groups.push(u.group); });
    var chips = h("div", { cls: "chips", id: "group-filter" });
    var el = chartBox("chart-completion", 200);
    parent.appendChild(chips);
    parent.appendChild(bandLegend());
    parent.appendChild(el);
    parent.appendChild(h("p", { cls: "note", text: "条形为排名口径的加权完成率（与 zsyz rank 相同）；竖线为序时进度 " +
      pct1(D.schedule) + "。点击条形查看单位详情。" }));
    var chart = null;
    function show(g) {
      currentGroup = g;
      var us = D.units.filter(function (u) { return !g || u.group === g; })
        .slice().sort(function (a, b) { return b.completion - a.completion; });
      el.style.height = Math.max(120, us.length * 24 + 60) + "px";
      var max = Math.max(1.2, Math.max.apply(null, us.map(function (u) { return u.completion; }).concat([0])) * 1.08);
      var option = {
        grid: { left: 8, right: 56, top: 22, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: Math.ceil(max * 10) * 10, axisLabel: { formatter: "{value}%", hideOverlap: true }, splitNumber: 4 },
        yAxis: { type: "category", inverse: true, data: us.map(function (u) { return u.unit; }),
          axisLabel: { interval: 0 } },
        tooltip: { trigger: "item", formatter: function (p) {
          var u = us[p.dataIndex];
          return u.unit + "：" + pct(u.completion) + "（" + BAND_LABEL[u.band] + "）";
        } },
        series: [{
          type: "bar", barMaxWidth: 18,
          data: us.map(function (u) {
            return { value: Math.round(u.completion * 10000) / 100, itemStyle: { color: COLORS[u.band] } };
          }),
          label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(2) + "%"; } },
          markLine: { symbol: "none", silent: true, label: { position: "start", formatter: "序时 " + pct1(D.schedule) },
            lineStyle: { color: "#333", type: "dashed" }, data: [{ xAxis: D.schedule * 100 }] }
        }]
      };
      if (!chart) {
        chart = plot(el, option);
        chart.on("click", function (p) { location.hash = unitIndex[p.name]; });
      } else {
        chart.resize();
        chart.setOption(option, true);
      }
      document.querySelectorAll("#rank-table tbody tr").forEach(function (tr) {
        tr.classList.toggle("hidden", !!g && tr.getAttribute("data-group") !== g);
      });
    }
    var buttons = [];
    function chip(text, g) {
      var b = h("button", { type: "button", text: text, "data-group": g || "" });
      b.addEventListener("click", function () {
        buttons.forEach(function (x) { x.classList.toggle("on", x === b); });
        show(g);
      });
      buttons.push(b);
      chips.appendChild(b);
    }
    chip("全部", null);
    groups.forEach(function (g) { chip(groupLabel(g), g); });
    if (groups.length < 2) chips.style.display = "none";
    buttons[0].classList.add("on");
    return show;
  }
  function bandLegend() {
    var legend = h("div", { cls: "legend" });
    Object.keys(BAND_LABEL).forEach(function (b) {
      legend.appendChild(h("span", { style: "--c:" + COLORS[b], text: BAND_LABEL[b] }));
    });
    return legend;
  }
  function targetChart(parent) {
    var ts = D.progress[0].targets;
    parent.appendChild(bandLegend());
    var el = chartBox("chart-completion", Math.max(120, ts.length * 40 + 60));
    parent.appendChild(el);
    parent.appendChild(h("p", { cls: "note", text: "每项目标的完成率；竖线为序时进度 " + pct1(D.schedule) +
      "。排名用的加权完成率为 " + pct(D.units[0].completion) + "。" }));
    plot(el, {
      grid: { left: 8, right: 56, top: 22, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: Math.ceil(Math.max(1.2, Math.max.apply(null, ts.map(function (t) {
        return t.completion; }))) * 10) * 10, axisLabel: { formatter: "{value}%", hideOverlap: true }, splitNumber: 4 },
      yAxis: { type: "category", inverse: true, data: ts.map(function (t) { return t.target; }),
        axisLabel: { interval: 0, width: 120, overflow: "break" } },
      series: [{ type: "bar", barMaxWidth: 18,
        data: ts.map(function (t) {
          return { value: Math.round(t.completion * 10000) / 100, itemStyle: { color: COLORS[bandOf(t.completion)] } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(2) + "%"; } },
        markLine: { symbol: "none", silent: true, label: { position: "start", formatter: "序时 " + pct1(D.schedule) },
          lineStyle: { color: "#333", type: "dashed" }, data: [{ xAxis: D.schedule * 100 }] } }]
    });
  }
  function rankTable() {
    var rows = D.rank.map(function (r) {
      return h("tr", { "data-unit": r.unit, "data-group": r.group },
        td(groupLabel(r.group), "wide-only"),
        td(String(r.rank), "num rank", { "data-value": String(r.rank) }),
        td(unitLink(r.unit), "unit"),
        td(num(r.score), "num score", { "data-value": String(r.score) }),
        td(pct(r.completion), "num completion", { "data-value": String(r.completion) }),
        td(r.previous_rank === null ? "—" : String(r.previous_rank), "num previous"),
        td(move(r), "num"));
    });
    var t = table([{ label: "组别", cls: "wide-only" }, { label: "名次", num: 1 }, { label: "单位" },
      { label: "得分", num: 1 }, { label: "完成率", num: 1 }, { label: "上期", num: 1 }, { label: "变化", num: 1 }], rows);
    t.id = "rank-table";
    return t;
  }

  // ---- trend and funnel -------------------------------------------------------------
  function trendChart(parent) {
    var T = D.trend, y = T.year;
    if (!T["this"]) {
      parent.appendChild(h("p", { cls: "note", text: "本年度台账中还没有报表，无法画出月度走势。" }));
      return;
    }
    var months = T["this"].map(function (m) { return m.month + "月"; });
    var series = [
      { name: y + "年签约", type: "bar", data: T["this"].map(function (m) { return m.signed; }), itemStyle: { color: "#8b1a1a" } },
      { name: y + "年开工", type: "bar", data: T["this"].map(function (m) { return m.started; }), itemStyle: { color: "#1565c0" } },
      { name: y + "年到位资金", type: "line", yAxisIndex: 1, data: T["this"].map(function (m) { return m.funds; }),
        itemStyle: { color: "#e0a100" }, connectNulls: false }
    ];
    if (T.last) {
      series.push(
        { name: (y - 1) + "年签约", type: "bar", data: T.last.map(function (m) { return m.signed; }), itemStyle: { color: "#d9a3a3" } },
        { name: (y - 1) + "年开工", type: "bar", data: T.last.map(function (m) { return m.started; }), itemStyle: { color: "#9fbde0" } },
        { name: (y - 1) + "年到位资金", type: "line", yAxisIndex: 1, data: T.last.map(function (m) { return m.funds; }),
          itemStyle: { color: "#b9a15b" }, lineStyle: { type: "dashed" } });
    }
    var el = chartBox("chart-trend", 280);
    parent.appendChild(el);
    parent.appendChild(h("p", { cls: "note", text: (T.last ? "浅色、虚线为上年同期。" :
      "上年同期：台账中没有上年的报表，不作比较。") + "到位资金为当月新增（万元，右轴），台账首份报表之前的月份不计。" }));
    plot(el, {
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 30, bottom: 34, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: months },
      yAxis: [{ type: "value", name: "个", minInterval: 1 }, { type: "value", name: "万元", splitLine: { show: false } }],
      series: series
    });
  }
  function funnelChart(parent) {
    var F = D.funnel;
    if (!F.length) {
      parent.appendChild(h("p", { cls: "note", text: "台账中没有项目。" }));
      return;
    }
    var el = chartBox("chart-funnel", Math.max(200, F.length * 38 + 40));
    parent.appendChild(el);
    parent.appendChild(h("p", { cls: "note", text: "条形为截至期末处于各阶段的项目个数；“停留”为已进入后续阶段的项目在该阶段停留天数的中位数。" }));
    plot(el, {
      grid: { left: 8, right: 150, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: F.map(function (f) { return f.stage; }) },
      tooltip: { trigger: "item", formatter: function (p) {
        var f = F[p.dataIndex];
        return f.stage + "：" + f.count + " 个；" + (f.median_days === null ? "暂无项目离开此阶段" :
          f.moved_on + " 个项目停留中位数 " + num(f.median_days) + " 天");
      } },
      series: [{ type: "bar", barMaxWidth: 22, itemStyle: { color: "#8b1a1a" },
        data: F.map(function (f) { return f.count; }),
        label: { show: true, position: "right", formatter: function (p) {
          var f = F[p.dataIndex];
          return f.count + " 个" + (f.median_days === null ? "" : " · 停留 " + num(f.median_days) + " 天");
        } } }]
    });
  }

  // ---- alerts -----------------------------------------------------------------------
  function alertsBlock(parent) {
    var red = D.alerts.filter(function (a) { return a.level === "red"; });
    var yellow = D.alerts.filter(function (a) { return a.level !== "red"; });
    parent.appendChild(h("div", { cls: "alerts-head" },
      h("span", { cls: "big-red", id: "alerts-red", "data-value": String(red.length), text: "红色 " + red.length + " 条" }),
      h("span", { cls: "big-yellow", id: "alerts-yellow", "data-value": String(yellow.length), text: "黄色 " + yellow.length + " 条" })));
    var byRule = {};
    D.alerts.forEach(function (a) {
      var k = a.rule_label;
      byRule[k] = byRule[k] || { red: 0, yellow: 0 };
      byRule[k][a.level === "red" ? "red" : "yellow"] += 1;
    });
    var kinds = Object.keys(byRule).sort(function (a, b) {
      return (byRule[b].red + byRule[b].yellow) - (byRule[a].red + byRule[a].yellow);
    });
    if (kinds.length) {
      parent.appendChild(h("p", { cls: "note", id: "alerts-kinds", text: "按类别：" + kinds.map(function (k) {
        var c = byRule[k];
        return k + " " + (c.red ? "红 " + c.red : "") + (c.red && c.yellow ? "、" : "") + (c.yellow ? "黄 " + c.yellow : "");
      }).join("；") }));
    }
    var all = red.concat(yellow);
    function rows(list) {
      return list.map(function (a) {
        var lvl = a.level === "red" ? "红色" : "黄色";
        return h("tr", { "data-level": a.level },
          td(h("span", { cls: "lvl lvl-" + a.level, text: lvl })),
          td(a.unit), td(a.project ? a.project + " " + (a.project_name || "") : "—"),
          td(a.rule_label), td(a.message), td(a.action, "wide-only"));
      });
    }
    var cols = [{ label: "级别" }, { label: "单位" }, { label: "项目" }, { label: "预警" }, { label: "情况" },
      { label: "处理建议", cls: "wide-only" }];
    if (!all.length) {
      parent.appendChild(h("p", { cls: "note", text: "截至期末没有预警。" }));
      return;
    }
    parent.appendChild(table(cols, rows(all.slice(0, 20))));
    if (all.length > 20) {
      var more = h("details", { cls: "more" }, h("summary", { text: "其余 " + (all.length - 20) + " 条预警" }));
      lazy(more, function () { more.appendChild(table(cols, rows(all.slice(20)))); });
      parent.appendChild(more);
    }
  }

  // ---- unit details -----------------------------------------------------------------
  function unitDetail(u, i) {
    var d = h("details", { cls: "unit", id: "u-" + (i + 1), "data-unit": u.unit });
    var standing = u.rank ? groupLabel(u.group) + "第 " + u.rank + " 名 · 得分 " + num(u.score) + " · " : "";
    d.appendChild(h("summary", null, h("span", { cls: "dot", style: "background:" + COLORS[u.band] }),
      u.unit + "（" + u.class + "）— " + standing + "完成率 " + pct(u.completion) + " · " + BAND_LABEL[u.band]));
    lazy(d, function () { d.appendChild(unitBody(u)); });
    return d;
  }
  function unitBody(u) {
    var body = h("div");
    body.appendChild(h("h3", { text: "目标任务" + (u.complete ? "（各项均已完成）" : "（各项目标中最低完成率 " + pct(u.lowest) + "）") }));
    body.appendChild(table([{ label: "目标" }, { label: "目标值", num: 1 }, { label: "完成", num: 1 },
      { label: "完成率", num: 1 }, { label: "是否完成" }], u.targets.map(function (t) {
      return h("tr", { cls: "target", "data-required": String(t.required), "data-achieved": String(t.achieved) },
        td(t.target), td(num(t.required), "num"), td(num(t.achieved), "num"), td(pct(t.completion), "num"),
        td(t.complete ? "完成" : "未完成"));
    })));
    if (u.components.length) {
      body.appendChild(h("h3", { text: "得分说明（同 zsyz rank --explain）" }));
      body.appendChild(table([{ label: "规则" }, { label: "得分", num: 1 }, { label: "计算" }],
        u.components.map(function (c) { return h("tr", null, td(c.rule), td(num(c.points), "num"), td(c.detail)); })));
    }
    var credited = u.projects.filter(function (p) { return p.credited; }).length;
    body.appendChild(h("h3", { text: "项目（" + u.projects.length + " 个，其中计入目标 " + credited + " 个）" }));
    if (u.projects.length) {
      body.appendChild(table([{ label: "编号" }, { label: "项目名称" }, { label: "本单位为" }, { label: "计入目标" },
        { label: "阶段" }, { label: "总投资（万元）", num: 1 }, { label: "固投（万元）", num: 1 },
        { label: "到位资金（万元）", num: 1 }, { label: "签约" }, { label: "开工" }],
        u.projects.map(function (p) {
          return h("tr", { cls: "project", "data-code": p.code, "data-credited": p.credited ? "1" : "0" },
            td(p.code), td(p.name), td(p.roles.join("、") || "—"), td(p.credited ? "计入" : "不计入"), td(p.stage),
            td(num(p.total), "num"), td(num(p.fai), "num"), td(num(p.funds), "num"), td(p.signed_on || "—"),
            td(p.started_on || "—"));
        })));
    }
    return body;
  }
  // the body of a <details> is built when it is first opened (or printed): a county's
  // hundred units and hundreds of alerts would otherwise slow the page's opening
  var pending = [];
  function lazy(details, build) {
    var done = false;
    function once() { if (!done) { done = true; build(); } }
    details.addEventListener("toggle", function () { if (details.open) once(); });
    pending.push(once);
  }
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }

  // ---- page -------------------------------------------------------------------------
  document.title = D.title;
  document.getElementById("title").textContent = D.title;
  document.getElementById("subtitle").textContent = D.period.label + "（" + D.period.start + " 至 " + D.period.end +
    "）· 序时进度 " + pct1(D.schedule) + " · 依据：" + D.policy;
  document.getElementById("foot").textContent = "由 zsyz report --html 生成；数字与 zsyz progress / rank / alerts 的 JSON 相同（截至 " +
    D.period.end + "）。排名上期为" + D.period.previous + "。";
  var app = document.getElementById("app");
  app.appendChild(headline());
  app.appendChild(D.scope === "county" ? countyCards() : unitCards());
  var g1 = h("div", { cls: "grid g1" });
  var comp = section(D.scope === "county" ? "各单位目标完成率" : "本单位各项目标完成率", "按序时进度着色");
  var rk = section(D.scope === "county" ? "排名" : "组内排名", D.period.label + "，与" + D.period.previous + "比较");
  rk.classList.add("rank-sec");
  g1.appendChild(comp);
  g1.appendChild(rk);
  app.appendChild(g1);
  rk.appendChild(rankTable());
  var show = D.scope === "county" ? completionChart(comp) : function () { targetChart(comp); };
  var g2 = h("div", { cls: "grid" });
  var tr = section("月度走势", D.scope === "county" ? "签约、开工个数与到位资金" : "本单位项目");
  var fn = section("项目阶段漏斗", "各阶段个数与停留天数中位数");
  g2.appendChild(tr);
  g2.appendChild(fn);
  app.appendChild(g2);
  var al = section("预警", "截至 " + D.period.end + "，同 zsyz alerts --as-of");
  al.style.marginBottom = "12px";
  app.appendChild(al);
  var ud = section(D.scope === "county" ? "单位详情" : "本单位详情", "目标、计入项目、得分说明");
  D.units.forEach(function (u, i) { ud.appendChild(unitDetail(u, i)); });
  app.appendChild(ud);
  show(null);
  trendChart(tr);
  funnelChart(fn);
  alertsBlock(al);
  if (D.scope === "unit") document.querySelectorAll("details.unit").forEach(function (d) { d.open = true; });
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  var printing = false;
  function resizeAll() {
    if (!printing) charts.forEach(function (c) { c.resize({ width: "auto", height: "auto" }); });
  }
  window.addEventListener("resize", resizeAll);
  // A4 landscape with 10 mm margins is 277 mm ≈ 1047 CSS px wide: two columns of charts.
  // The layout is still the screen's when beforeprint fires, so sizes are set explicitly;
  // the completion bars get thinner so a county's units fit on a page.
  var PRINT_COLUMN = Math.floor((1047 - 12) / 2) - 30, PRINT_FULL = 1047 - 30;
  window.addEventListener("beforeprint", function () {
    printing = true;
    document.querySelectorAll("details.more").forEach(function (d) { d.open = true; });
    charts.forEach(function (c) {
      var el = c.getDom();
      var whole = el.id === "chart-completion";  // printed across the page, under the ranking
      var height = whole ? Math.max(160, c.getOption().yAxis[0].data.length * 13 + 50) : el.clientHeight;
      var width = whole ? PRINT_FULL : PRINT_COLUMN;
      el.style.width = width + "px";
      el.style.height = height + "px";
      c.resize({ width: width, height: height });
      c.getZr().flush();  // paint now: the page is printed before the next frame
    });
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    charts.forEach(function (c) { c.getDom().style.width = ""; });
    if (D.scope === "county") show(currentGroup); else resizeAll();
  });
  document.body.setAttribute("data-ready", String(Math.round(performance.now())));
})();
