// "Most read": tells the site, once, that this story was read (mostread/counts.py).
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
  // Counting can wait until the page has loaded and the browser is idle, so that the request
  // never competes with the story itself on a slow phone connection.
  function sendWhenLoaded() {
    if (document.readyState === "complete") {
      if (window.requestIdleCallback) {
        requestIdleCallback(send, { timeout: 2000 });
      } else {
        setTimeout(send, 0);
      }
    } else {
      window.addEventListener("load", sendWhenLoaded, { once: true });
    }
  }
  // A page the browser prerenders may never be looked at: count it when it is.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", sendWhenLoaded, { once: true });
  } else {
    sendWhenLoaded();
  }
})();
