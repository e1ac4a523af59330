// The drawn signature pad of the quote page. Without JavaScript the form still
// works with the typed signature; with it, strokes drawn on the canvas (mouse, pen
// or finger) become an SVG path in the hidden "drawn" field.
(function () {
  "use strict";
  var pad = document.getElementById("signature-pad");
  var field = document.getElementById("drawn");
  var clear = document.getElementById("signature-clear");
  if (!pad || !field || !clear) { return; }
  pad.parentElement.hidden = false;
  var ctx = pad.getContext("2d");
  var path = [];
  var drawing = false;

  function point(event) {
    var box = pad.getBoundingClientRect();
    var x = (event.clientX - box.left) * (pad.width / box.width);
    var y = (event.clientY - box.top) * (pad.height / box.height);
    return [Math.round(x), Math.round(y)];
  }
  function start(event) {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    drawing = true;
    var p = point(event);
    path.push("M" + p[0] + " " + p[1]);
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
  }
  function move(event) {
    if (!drawing) { return; }
    var p = point(event);
    path.push("L" + p[0] + " " + p[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    field.value = path.join(" ");
  }
  function stop() { drawing = false; }

  ctx.lineWidth = 2.5;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = "#1d2433";
  pad.addEventListener("pointerdown", start);
  pad.addEventListener("pointermove", move);
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  clear.addEventListener("click", function () {
    path = [];
    field.value = "";
    ctx.clearRect(0, 0, pad.width, pad.height);
  });
})();
