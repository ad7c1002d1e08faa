using OpenQA.Selenium;

namespace Mergepoints.Testing.Chromium;

/// <summary>
/// The host's account pages as a person uses them in the browser: open the form, type a name and a password,
/// press the button, land where <c>returnUrl</c> said.
/// </summary>
public static class AccountForms
{
    /// <summary>Registers <paramref name="name"/> (which signs them in) and waits to land on <paramref name="returnPath"/>.</summary>
    public static void Register(this HeadlessChromium chromium, Uri site, string name, string password, string returnPath = "/") =>
        chromium.Submit(site, "account/register", name, password, returnPath);

    /// <summary>Signs <paramref name="name"/> in and waits to land on <paramref name="returnPath"/>.</summary>
    public static void LogIn(this HeadlessChromium chromium, Uri site, string name, string password, string returnPath = "/") =>
        chromium.Submit(site, "account/login", name, password, returnPath);

    /// <summary>Fills the register or log-in form the browser shows now, sends it, and waits to land on <paramref name="returnPath"/>.</summary>
    public static void FillAccountForm(this HeadlessChromium chromium, string name, string password, string returnPath)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        chromium.Element("input[name=username]").SendKeys(name);
        chromium.Element("input[name=password]").SendKeys(password);
        chromium.Element("form button[type=submit]").Click();
        chromium.Until(driver => new Uri(driver.Url).AbsolutePath == returnPath || driver.FindElements(By.CssSelector("p.error")).Count > 0, $"the account form to send {name} to {returnPath}");
        var errors = chromium.Driver.FindElements(By.CssSelector("p.error"));
        Assert.True(errors.Count == 0, $"the account form refused {name}: {errors.FirstOrDefault()?.Text}");
    }

    private static void Submit(this HeadlessChromium chromium, Uri site, string page, string name, string password, string returnPath)
    {
        chromium.Open(new Uri(site, $"{page}?returnUrl={Uri.EscapeDataString(returnPath)}"));
        chromium.FillAccountForm(name, password, returnPath);
    }
}
