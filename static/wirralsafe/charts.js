// Draws every chart whose data the page holds in a JSON script element. The data table or text
// beside each chart carries the same values for readers who cannot see it.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.Plotly) { return; }
      var figure = JSON.parse(source.textContent);
      // Charts carry no plotly title (it does not wrap, and long names were cut off): the
      // heading beside each chart names it, so only a little room is kept above the plot.
      var layout = Object.assign(
        { margin: { t: 16, r: 16, b: 64, l: 56 }, font: { size: 13 }, hovermode: "closest",
          legend: { orientation: "h", y: -0.25 } },
        figure.layout || {}
      );
      window.Plotly.newPlot(element, figure.data, layout, { responsive: true, displayModeBar: false });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
