// Results report: replace the server-side SVG charts with interactive Chart.js charts when scripts run.
// The numbers come from the json_script element; nothing is fetched and no inline script is needed (CSP).
(function () {
  "use strict";
  var source = document.getElementById("report-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = ["#b71c1c", "#e65100", "#1565c0", "#2e7d32", "#6a1b9a", "#455a64"];
  var percent = function (value) {
    return value === null || value === undefined ? "—" : value.toLocaleString(document.documentElement.lang || "vi", {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }) + "%";
  };

  function show(name, build) {
    var figure = document.querySelector('.chart-figure[data-chart="' + name + '"]');
    if (!figure) {
      return;
    }
    var box = figure.querySelector(".chart-box");
    box.classList.remove("d-none");
    build(figure.querySelector("canvas"));
    // The SVG stays for printing; on screen the interactive chart takes its place.
    figure.querySelector(".report-svg").classList.add("d-none", "d-print-block");
  }

  show("distribution", function (canvas) {
    var units = data.distribution.units;
    var members = data.distribution.members;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.distribution.labels,
        datasets: [
          { label: units.title, data: units.percent, backgroundColor: colors[0], counts: units.counts },
          { label: members.title, data: members.percent, backgroundColor: colors[2], counts: members.counts },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var count = ctx.dataset.counts[ctx.dataIndex];
                return ctx.dataset.label + ": " + count + " (" + percent(ctx.parsed.x) + ")";
              },
            },
          },
        },
      },
    });
  });

  show("trend", function (canvas) {
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.trend.years,
        datasets: data.trend.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            borderColor: colors[i % colors.length],
            backgroundColor: colors[i % colors.length],
            borderDash: i % 2 ? [6, 3] : [],
            spanGaps: true,
            // The top-level lines are not drawn across a change of rating scheme: two schemes' top levels are not
            // one measure. "Good or better" lines stay joined.
            segment: series.breaks_at_scheme_change ? {
              borderColor: function (ctx) {
                var schemes = data.trend.schemes;
                return schemes[ctx.p0DataIndex] !== schemes[ctx.p1DataIndex] ? "rgba(0,0,0,0)" : undefined;
              },
            } : undefined,
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + percent(ctx.parsed.y);
              },
              // The levels behind "top" change with the scheme (clean_strong before 2018, excellent after).
              footer: function (items) {
                return items.length ? data.trend.scheme_label + ": " + data.trend.schemes[items[0].dataIndex] : "";
              },
            },
          },
        },
      },
    });
  });
})();
