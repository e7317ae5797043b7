// The few things the server cannot know without the browser.
window.questAspire = {
  // The browser's IANA time zone, e.g. "Asia/Tokyo" (offered on the settings page).
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "",
};
