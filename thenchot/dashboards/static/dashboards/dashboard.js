/* Charts of the dashboard (Chart.js from the site's static files). Each dataset gets a grey
   level *and* a fill pattern, so the series stay apart when printed in black and white; the
   same figures are in the table beside each chart. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-charts");
  if (!node || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(node.textContent);
  var greys = ["#1b1b1b", "#5a5a5a", "#8f8f8f", "#c4c4c4"];
  var kinds = ["solid", "stripes", "dots", "cross"];

  function pattern(colour, kind) {
    if (kind === "solid") { return colour; }
    var c = document.createElement("canvas");
    c.width = 8; c.height = 8;
    var x = c.getContext("2d");
    x.fillStyle = "#ffffff"; x.fillRect(0, 0, 8, 8);
    x.strokeStyle = colour; x.fillStyle = colour; x.lineWidth = 2;
    if (kind === "stripes") { x.beginPath(); x.moveTo(0, 8); x.lineTo(8, 0); x.stroke(); }
    else if (kind === "dots") { x.beginPath(); x.arc(4, 4, 1.8, 0, 2 * Math.PI); x.fill(); }
    else { x.beginPath(); x.moveTo(0, 0); x.lineTo(8, 8); x.moveTo(8, 0); x.lineTo(0, 8); x.stroke(); }
    return x.createPattern(c, "repeat");
  }

  charts.forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            backgroundColor: pattern(greys[i % greys.length], kinds[i % kinds.length]),
            borderColor: "#000000",
            borderWidth: 1
          };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}
      }
    });
  });
})();
