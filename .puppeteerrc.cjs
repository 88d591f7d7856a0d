/** Puppeteer (pulled in by whatsapp-web.js) must not download Chrome: there is no internet here. We use Debian's chromium. */
module.exports = { skipDownload: true };
