document.addEventListener("DOMContentLoaded", function () {
  var p = document.createElement("p");
  p.textContent = "app.js ran";
  document.body.appendChild(p);
});
