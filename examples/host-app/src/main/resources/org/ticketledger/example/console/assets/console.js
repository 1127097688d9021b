// TicketLedger console: progressive enhancement only — every page works without this file.
// - [data-refresh="N"]: reload the page after N seconds (a payout on its way to DONE).
// - [data-chart]: draw an ECharts chart from the JSON in the attribute (reports page).
(function () {
  'use strict';

  function refresh() {
    var el = document.querySelector('[data-refresh]');
    if (!el) {
      return;
    }
    var seconds = parseInt(el.getAttribute('data-refresh'), 10);
    if (seconds > 0 && seconds < 600) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  }

  function charts() {
    var nodes = document.querySelectorAll('[data-chart]');
    if (!nodes.length || !window.echarts) {
      return;
    }
    var instances = [];
    nodes.forEach(function (node) {
      var spec = JSON.parse(node.getAttribute('data-chart'));
      // SVG, so that the chart is part of the page (searchable, testable, sharp when printed).
      var chart = window.echarts.init(node, null, { renderer: 'svg' });
      chart.setOption(option(spec));
      node.setAttribute('data-rendered', 'true');
      instances.push(chart);
    });
    window.addEventListener('resize', function () {
      instances.forEach(function (c) { c.resize(); });
    });
  }

  // spec: { type: 'bar'|'line', categories: [...], series: [{ name, values: [...], axis: 0|1 }], axes: [name, name?] }
  function option(spec) {
    var axes = (spec.axes || ['']).map(function (name, i) {
      return { type: 'value', name: name, position: i === 0 ? 'left' : 'right', splitLine: { show: i === 0 } };
    });
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: axes.length > 1 ? 56 : 16, top: 36, bottom: 48 },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { rotate: spec.categories.length > 10 ? 45 : 0 } },
      yAxis: axes,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: s.type || spec.type,
          yAxisIndex: s.axis || 0,
          data: s.values.map(Number),
          label: { show: spec.categories.length <= 12, position: 'top' }
        };
      })
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    refresh();
    charts();
  });
}());
