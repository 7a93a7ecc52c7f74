// "Most read": tells the site, once, that this story was read (articles/most_read.py).
// The address comes from the script tag's data-hit-url. No cookie is set and nothing about
// the reader is sent; readers without JavaScript are simply not counted.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.hitUrl;
  if (!url || !navigator.sendBeacon) {
    return;
  }
  function send() {
    navigator.sendBeacon(url);
  }
  // A page the browser prerenders may never be looked at: count it when it is.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
