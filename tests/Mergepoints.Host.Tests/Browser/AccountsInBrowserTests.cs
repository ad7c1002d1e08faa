using Mergepoints.Testing.Chromium;

namespace Mergepoints.Host.Tests.InBrowser;

/// <summary>The account pages and the user box in a real browser against the real host.</summary>
public sealed class AccountsInBrowserTests(ShippedSite site) : IClassFixture<ShippedSite>, IDisposable
{
    private readonly HeadlessChromium _chromium = HeadlessChromium.Start();

    [Fact]
    public void A_new_user_registers_logs_out_signs_in_again_and_the_user_box_names_them_each_time()
    {
        _chromium.Register(site.Url, "ann", "correct-horse");
        var afterRegistering = UserBox();
        _chromium.Element("#mergepoints-userbox a[href$='/logout']").Click();
        _chromium.Until(driver => Path(driver) == "/account/logout", "the log-out page");
        _chromium.Element("form button[type=submit]").Click();
        _chromium.Until(driver => Path(driver) != "/account/logout", "logging out to lead away from the log-out page");
        var afterLoggingOut = UserBox();
        _chromium.LogIn(site.Url, "ann", "correct-horse");
        var afterSigningIn = UserBox();

        Assert.Equal("signed in as ann · log out", afterRegistering);
        Assert.Equal("log in · register", afterLoggingOut);
        Assert.Equal("signed in as ann · log out", afterSigningIn);
    }

    private static string Path(OpenQA.Selenium.IWebDriver driver) => new Uri(driver.Url).AbsolutePath;

    private string UserBox() => _chromium.Element("#mergepoints-userbox").Text;

    public void Dispose() => _chromium.Dispose();
}
