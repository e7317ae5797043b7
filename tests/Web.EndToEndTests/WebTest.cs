using System.Net.Http.Json;
using System.Text.Json;

namespace QuestAspire.Web.EndToEndTests;

/// <summary>
/// A fresh browser context (no cookies) on the running AppHost's Web, with the steps a person
/// takes: sign up, sign in, sign out. Every wait has a timeout; what the browser reported is
/// printed with each test.
/// </summary>
public abstract class WebTest(AppFixture app, BrowserFixture browser) : IAsyncLifetime
{
    public const string Password = "correct-horse-1";
    public const string SessionCookie = "QuestAspire.Session";
    protected static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(30);
    private const float ActionTimeoutMs = 20_000;
    private readonly List<string> _browserLog = [];
    private IBrowserContext? _context;

    protected DistributedApplication App => app.App;

    protected Uri WebUrl => App.GetEndpoint(ResourceNames.Web, "http");

    protected IPage Page { get; private set; } = null!;

    protected IBrowserContext Context => _context!;

    /// <summary>The browser's time zone (an IANA id); null for the machine's.</summary>
    protected virtual string? TimezoneId => null;

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(ActionTimeoutMs);
        _context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = WebUrl.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = TimezoneId,
        });
        _context.SetDefaultTimeout(ActionTimeoutMs);
        _context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        Page = await _context.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                _browserLog.Add($"console {message.Type}: {message.Text}");
            }
        };
        Page.PageError += (_, error) => _browserLog.Add($"page error: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        // What the browser saw, kept beside the screenshots: the first place to look when a test fails.
        var test = TestContext.Current.Test?.TestDisplayName.Split('.').Last() ?? "test";
        if (TestContext.Current.TestState?.Result == TestResult.Failed && Page is not null)
        {
            await Screenshots.SaveAsync(Page, $"failed-{test}");
        }

        await File.WriteAllLinesAsync(Path.Combine(Screenshots.Directory, $"{test}.browser.log"), _browserLog);

        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    public static string NewUserName(string prefix = "player") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    protected async Task SignUpAsync(string userName, string password = Password, string? screenshot = null)
    {
        await Page.GotoAsync("account/signup");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(password);
        if (screenshot is not null)
        {
            await Screenshots.SaveAsync(Page, screenshot);
        }

        await Page.GetByTestId("sign-up").ClickAsync();
        await Expect(Page.GetByTestId("signed-up")).ToContainTextAsync(userName);
    }

    /// <summary>Signs in through the form and waits for the quests page (the home page after sign-in).</summary>
    protected async Task SignInAsync(string userName, string password = Password, string? screenshot = null)
    {
        if (!Page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            await Page.GotoAsync("account/login");
        }

        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(password);
        if (screenshot is not null)
        {
            await Screenshots.SaveAsync(Page, screenshot);
        }

        await Page.GetByTestId("sign-in").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your quests" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("user-name")).ToHaveTextAsync(userName);
        await WaitUntilInteractiveAsync();
    }

    /// <summary>The page was prerendered on the server; its buttons work once the interactive session is up.</summary>
    protected async Task WaitUntilInteractiveAsync() =>
        await Expect(Page.Locator("main[data-interactive=true]")).ToBeVisibleAsync();

    protected async Task SignOutAsync()
    {
        await Page.GetByTestId("sign-out").ClickAsync();
        await Expect(Page.GetByTestId("signed-out")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the quests page has caught up with the latest sign-in.</summary>
    protected async Task WaitUntilUpToDateAsync() =>
        await Expect(Page.GetByTestId("up-to-date")).ToBeVisibleAsync(new() { Timeout = (float)ProcessingTimeout.TotalMilliseconds });

    protected ILocator QuestCard(string questName) => Page.Locator($"[data-testid=quest][data-quest='{questName}']");

    protected async Task<bool> HasSessionCookieAsync() =>
        (await Context.CookiesAsync()).Any(c => c.Name.StartsWith(SessionCookie, StringComparison.Ordinal));

    /// <summary>An admin token straight from Auth, for clean-up that must not depend on the UI.</summary>
    protected async Task<string> GetAdminTokenAsync()
    {
        using var auth = App.CreateHttpClient(ResourceNames.AuthApi);
        using var response = await auth.PostAsync("/login/access-token",
            new FormUrlEncodedContent([new("username", "admin"), new("password", TestAppHost.AdminPassword)]),
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("access_token").GetString()!;
    }
}
