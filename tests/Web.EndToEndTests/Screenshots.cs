using System.Reflection;

namespace QuestAspire.Web.EndToEndTests;

/// <summary>
/// Every page the tests visit is saved under the test output (TestResults/screenshots/). With
/// <c>QUESTASPIRE_UPDATE_SCREENSHOTS=1</c> the ones the README shows are copied to
/// docs/screenshots/ as well (off by default, so a test run leaves the work tree clean).
/// </summary>
public static class Screenshots
{
    /// <summary>Emptied at the start of a run, so what is there belongs to the last run.</summary>
    public static readonly string Directory = Fresh(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots"));

    private static readonly string? DocsDirectory = FindDocsDirectory();

    public static async Task SaveAsync(IPage page, string name, bool forReadme = false)
    {
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        TestContext.Current.SendDiagnosticMessage($"Screenshot: {path}");
        if (forReadme && DocsDirectory is not null)
        {
            File.Copy(path, Path.Combine(DocsDirectory, name + ".png"), overwrite: true);
        }
    }

    private static string Fresh(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        return System.IO.Directory.CreateDirectory(directory).FullName;
    }

    private static string? FindDocsDirectory()
    {
        if (Environment.GetEnvironmentVariable("QUESTASPIRE_UPDATE_SCREENSHOTS") != "1")
        {
            return null;
        }

        var root = typeof(Screenshots).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return root is not null && File.Exists(Path.Combine(root, "QuestAspire.sln"))
            ? System.IO.Directory.CreateDirectory(Path.Combine(root, "docs", "screenshots")).FullName
            : null;
    }
}
