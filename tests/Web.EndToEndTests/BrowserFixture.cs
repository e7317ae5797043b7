[assembly: AssemblyFixture(typeof(QuestAspire.Testing.AppFixture))]
[assembly: AssemblyFixture(typeof(QuestAspire.Web.EndToEndTests.BrowserFixture))]

namespace QuestAspire.Web.EndToEndTests;

/// <summary>
/// Debian's Chromium, driven by Playwright: no browser download. A missing or broken Chromium
/// fails every test with the reason; nothing is skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. The browser tests drive Debian's Chromium: install it with " +
                "'apt-get install -y chromium' (scripts/install-prerequisites.sh --tests does).");
        }

        _playwright = await Playwright.CreateAsync();
        try
        {
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Timeout = (float)LaunchTimeout.TotalMilliseconds,
                Args =
                [
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"Chromium at {ChromiumPath} did not start: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
