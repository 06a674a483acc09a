// The lot page's photo gallery: a thumbnail shows its photo large; the large photo opens full screen
// (tap or click anywhere, or Escape, to close). Without this script the large photo is a plain link.
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery) return;
  var main = gallery.querySelector("[data-gallery-main]");
  var link = gallery.querySelector("[data-gallery-zoom]");
  var zoom = document.querySelector("[data-zoom]");
  var zoomImg = zoom && zoom.querySelector("[data-zoom-img]");

  gallery.querySelectorAll("[data-gallery-thumb]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-url");
      main.src = url;
      main.removeAttribute("width");
      main.removeAttribute("height");
      link.href = url;
      gallery.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
        other.classList.toggle("on", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });

  function close() {
    zoom.hidden = true;
    document.body.classList.remove("zoom-open");
    link.focus();
  }

  if (zoom && zoomImg) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      zoomImg.src = link.href;
      zoom.hidden = false;
      document.body.classList.add("zoom-open");
      zoom.querySelector("[data-zoom-close]").focus();
    });
    zoom.addEventListener("click", close);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !zoom.hidden) close();
    });
  }
})();
