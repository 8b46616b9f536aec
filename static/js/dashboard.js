// Dashboard chart: reads the data that the page put in <script id="trend-data" type="application/json">.
// Kept in a static file because the Content Security Policy forbids inline script.
(function () {
  "use strict";
  var source = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = {
    units_top: "#b02a37",
    units_good: "#f0ad4e",
    members_good: "#198754"
  };
  var percent = new Intl.NumberFormat(data.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  // The year selector submits by itself, so a phone user needs one tap less.
  var filter = document.getElementById("dashboard-filter");
  if (filter) {
    filter.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filter.submit(); });
    });
  }

  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series) {
        return {
          label: series.label,
          data: series.data,
          borderColor: colours[series.key],
          backgroundColor: colours[series.key],
          tension: 0,
          spanGaps: false // a year with no share (null) is a gap, not a line across it
        };
      })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: data.locale,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: {
          min: 0,
          max: 100,
          ticks: { callback: function (value) { return value + "%"; } }
        }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = context.parsed.y;
              return context.dataset.label + ": " + (value === null ? "—" : percent.format(value) + "%");
            }
          }
        }
      }
    }
  });
})();
