/* The public theme's only script, and optional: every page works without it.
   On a wide screen the search facets are the side bar, so their folded panel
   (a <details> that stays closed on a phone) is opened. */
(function () {
  "use strict";
  var wide = window.matchMedia && window.matchMedia("(min-width: 60rem)");
  function unfold() {
    if (!wide) { return; }
    var panels = document.querySelectorAll("details.facets");
    for (var i = 0; i < panels.length; i++) { panels[i].open = wide.matches; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", unfold);
  } else {
    unfold();
  }
}());
