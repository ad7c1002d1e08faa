using System.Globalization;
using System.Text;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Mergepoints.Testing.Chromium;

/// <summary>
/// One headless Chromium driven through Selenium for one test, as a person would use the site: a window of a
/// fixed size, a download folder of its own, waits that poll until the page shows what the test needs (never a
/// fixed sleep), and screenshots under <c>artifacts/screenshots</c>.
/// </summary>
/// <remarks>
/// Own it from the test class and dispose it from the class's <c>Dispose</c>: by then xunit knows whether the test
/// failed, and a failed test leaves a screenshot, the page source and the browser console behind.
/// </remarks>
public sealed class HeadlessChromium : IDisposable
{
    /// <summary>What every wait allows unless told otherwise: generous, because the machine is shared and slow.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollingInterval = TimeSpan.FromMilliseconds(100);

    private const string ScreenshotFolder = "screenshots";

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly TempDirectory _downloads;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, TempDirectory downloads)
    {
        _service = service;
        _driver = driver;
        _downloads = downloads;
    }

    /// <summary>The driver, for what the helpers here do not cover.</summary>
    public IWebDriver Driver => _driver;

    /// <summary>Where the browser saves downloads, without asking.</summary>
    public string DownloadDirectory => _downloads.Path;

    /// <summary>Starts the browser; skips the test where Chromium is not installed (fails it in CI).</summary>
    public static HeadlessChromium Start()
    {
        InstalledChromium.Require();
        var downloads = new TempDirectory();
        // Both paths given: Selenium Manager, which would try to download a browser and a driver, never runs.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(InstalledChromium.DriverPath)!, Path.GetFileName(InstalledChromium.DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = InstalledChromium.BrowserPath };
        options.AddArguments(
            "--headless=new",
            // Tests run as root in containers: no sandbox there, and /dev/shm is often too small for Chromium.
            "--no-sandbox",
            "--disable-dev-shm-usage",
            // A test starts playback from script, with no click a person would make.
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,1024",
            "--no-first-run",
            "--no-default-browser-check");
        options.AddUserProfilePreference("download.default_directory", downloads.Path);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        options.AddUserProfilePreference("download.directory_upgrade", true);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            return new HeadlessChromium(service, driver, downloads);
        }
        catch
        {
            service.Dispose();
            downloads.Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits until the page has loaded.</summary>
    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>The element <paramref name="cssSelector"/> picks, once it is on the page and shown.</summary>
    public IWebElement Element(string cssSelector, TimeSpan? timeout = null) =>
        Until(driver => driver.FindElement(By.CssSelector(cssSelector)) is { Displayed: true } element ? element : null, $"{cssSelector} to show", timeout);

    /// <summary>
    /// The element <paramref name="cssSelector"/> picks, once it is on the page, shown or not: a file input that a
    /// drop zone hides still takes a path.
    /// </summary>
    public IWebElement Present(string cssSelector, TimeSpan? timeout = null) =>
        Until(driver => driver.FindElement(By.CssSelector(cssSelector)), $"{cssSelector} to be on the page", timeout);

    /// <summary>Whether the page has an element <paramref name="cssSelector"/> picks right now (no wait).</summary>
    public bool Has(string cssSelector) => _driver.FindElements(By.CssSelector(cssSelector)).Count > 0;

    /// <summary>
    /// Polls <paramref name="condition"/> until it gives something other than null or false; an element that is not
    /// there yet or was replaced meanwhile counts as not yet. Fails with <paramref name="what"/> and the page's
    /// address after <paramref name="timeout"/>.
    /// </summary>
    public T Until<T>(Func<IWebDriver, T?> condition, string what, TimeSpan? timeout = null)
    {
        // Polled often: a page on loopback changes fast, and a progress bar's steps are worth seeing.
        var wait = new WebDriverWait(_driver, timeout ?? DefaultTimeout) { Message = $"waited for {what} on {_driver.Url}", PollingInterval = PollingInterval };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition)!;
    }

    /// <summary>Runs <paramref name="script"/> in the page (<c>arguments[i]</c> are <paramref name="args"/>) and returns what it returns.</summary>
    public object? Script(string script, params object[] args) => _driver.ExecuteScript(script, args);

    /// <summary>The one file the browser finished downloading.</summary>
    public string WaitForDownload(TimeSpan? timeout = null)
    {
        var wait = new DefaultWait<DirectoryInfo>(new DirectoryInfo(DownloadDirectory))
        {
            Timeout = timeout ?? DefaultTimeout,
            PollingInterval = PollingInterval,
            Message = $"waited for a download to finish in {DownloadDirectory}",
        };
        return wait.Until(directory =>
        {
            var files = directory.GetFiles();
            return files.Length == 1 && !InProgress(files[0]) ? files[0].FullName : null;
        })!;
    }

    // Chromium writes a hidden temporary file, renames it NAME.crdownload, and that to NAME once it is complete.
    private static bool InProgress(FileInfo file) => file.Name.StartsWith('.') || file.Extension == ".crdownload";

    /// <summary>
    /// Saves what the window shows as <c>artifacts/screenshots/TEST.png</c> (<c>TEST.LABEL.png</c> with a label) and
    /// attaches it to the test's result; returns the path.
    /// </summary>
    public string SaveScreenshot(string? label = null) =>
        TestArtifacts.Save(ScreenshotFolder, ArtifactName(label, "png"), _driver.GetScreenshot().AsByteArray, "image/png");

    /// <summary>Closes the browser; after a failed test, first saves what the page looked like, its source and its console.</summary>
    public void Dispose()
    {
        try
        {
            if (TestContext.Current.TestState?.Result == TestResult.Failed)
            {
                SaveFailure();
            }
        }
        finally
        {
            _driver.Quit();
            _driver.Dispose();
            _service.Dispose();
            _downloads.Dispose();
        }
    }

    private void SaveFailure()
    {
        // Each piece on its own: a page that crashed the tab may still give its console, and the test's own
        // failure is what the run must report, not one from here.
        Try(() => SaveScreenshot("failed"));
        Try(() => TestArtifacts.Save(ScreenshotFolder, ArtifactName("failed", "html"), Encoding.UTF8.GetBytes($"<!-- {_driver.Url} -->\n{_driver.PageSource}"), "text/html"));
        Try(() => TestArtifacts.Save(ScreenshotFolder, ArtifactName("console", "txt"), Encoding.UTF8.GetBytes(string.Join('\n',
            _driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Timestamp:HH:mm:ss.fff} {entry.Level} {entry.Message}")))), "text/plain"));
    }

    private static void Try(Action save)
    {
        try
        {
            save();
        }
        catch (WebDriverException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static string ArtifactName(string? label, string extension) =>
        label is null ? $"{TestArtifacts.TestName}.{extension}" : $"{TestArtifacts.TestName}.{label}.{extension}";
}
